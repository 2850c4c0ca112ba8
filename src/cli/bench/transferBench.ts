// Memory of export and migrate: the real `multichat export --out` and `multichat migrate --to`
// run in child processes on a JSON store, and each child's own peak resident memory (VmHWM,
// read as it exits; Linux only) is the figure, beside that of `multichat list` — the floor: Node,
// the bundle and the store's summaries, which every command holds. Streaming keeps the rest
// flat as the store grows, so it is measured on two sizes of store.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { round } from './stats';

export type TransferFigures = Record<string, number>;

/**
 * Starts the CLI script with `args` in a fresh Node and returns its peak RSS in bytes, or NaN
 * where /proc is missing. The script is required by a small wrapper that reads
 * /proc/self/status as the process exits (the CLI exits explicitly once its output is written).
 */
function cliPeakRss(cliPath: string, args: readonly string[]): number {
  const wrapper = [
    'const [cli, ...rest] = process.argv.slice(1);',
    'process.argv = [process.argv[0], cli, ...rest];',
    "process.on('exit', () => { let peak = 'NaN'; try { peak = String(Number(/VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]) * 1024); } catch {} require('fs').writeSync(2, `\\nbench-peak-rss ${peak}\\n`); });",
    'require(cli);',
  ].join('\n');
  const child = spawnSync(process.execPath, ['-e', wrapper, cliPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 16 * 2 ** 20 });
  if (child.status !== 0) {
    throw new Error(`multichat ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  }
  const match = /bench-peak-rss (\S+)\n?$/.exec(child.stderr);
  return match ? Number(match[1]) : NaN;
}

/** Export to a file and migrate to a fresh JSON store, each in its own process; `prefix` names the figures. */
export function transferMemory(cliPath: string, spec: string, prefix: string, scratch: string): TransferFigures {
  const exportFile = join(scratch, `${prefix || 'full'}-export.json`);
  const target = join(scratch, `${prefix || 'full'}-migrated`);
  try {
    const listPeak = cliPeakRss(cliPath, ['--store', spec, 'list']);
    const exportPeak = cliPeakRss(cliPath, ['--store', spec, 'export', '--out', exportFile]);
    const migratePeak = cliPeakRss(cliPath, ['--store', spec, 'migrate', '--to', `json:${target}`]);
    const name = (figure: string): string => (prefix ? `${prefix}${figure[0].toUpperCase()}${figure.slice(1)}` : figure);
    return {
      [name('storeMB')]: round(folderBytes(spec.slice('json:'.length)) / 2 ** 20, 1),
      [name('listPeakRssMB')]: round(listPeak / 2 ** 20, 1),
      [name('exportPeakRssMB')]: round(exportPeak / 2 ** 20, 1),
      [name('migratePeakRssMB')]: round(migratePeak / 2 ** 20, 1),
    };
  } finally {
    rmSync(exportFile, { force: true });
    rmSync(target, { recursive: true, force: true });
  }
}

function folderBytes(directory: string): number {
  return readdirSync(directory).reduce((sum, name) => sum + statSync(join(directory, name)).size, 0);
}
