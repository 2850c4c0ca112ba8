import { Command, InvalidArgumentError } from 'commander';
import { BACKENDS, BenchBackend, runBench } from '../bench/runBench';
import { probeOpenList, probeSnapshotMemory } from '../bench/probes';
import { probeSearchIndex } from '../bench/searchIndexProbe';
import { parseStoreSpec } from '../../stores/storeSpec';
import { CliContext, writeJson, writeLine } from '../context';
import { positiveInteger } from '../options';

export function addBenchCommand(program: Command, context: () => CliContext): void {
  program
    .command('bench')
    .description('measure append, list, search, live changes and memory on temporary stores (Redis on servers it starts itself)')
    .option('--sessions <n>', 'sessions to generate', positiveInteger, 10_000)
    .option('--messages <m>', 'messages per session (~1 KB each)', positiveInteger, 20)
    .option('--cold-runs <n>', 'fresh processes per cold figure (the median is reported)', positiveInteger, 5)
    .option('--only <backends>', `a comma-separated subset of ${BACKENDS.join(', ')}`, backendList)
    .option('--json', 'print the figures as JSON')
    .action(async (options: { sessions: number; messages: number; coldRuns: number; only?: BenchBackend[]; json?: boolean }) => {
      const ctx = context();
      const log = (line: string): void => void ctx.stderr.write(`${line}\n`);
      const { only, json, ...sizes } = options;
      const { results, notes } = await runBench({ ...sizes, backends: only, cliPath: process.argv[1], log });
      if (json) {
        await writeJson(ctx.stdout, { sessions: options.sessions, messages: options.messages, notes, results });
        return;
      }
      for (const [backend, note] of Object.entries(notes)) {
        await writeLine(ctx.stdout, `${backend}: ${note}`);
      }
      for (const [backend, figures] of Object.entries(results)) {
        for (const [name, value] of Object.entries(figures)) {
          await writeLine(ctx.stdout, `${backend}\t${name}\t${value}`);
        }
      }
    });

  program
    .command('bench-probe <probe> <spec>', { hidden: true })
    .action(async (probe: string, spec: string) => {
      const ctx = context();
      const figures =
        probe === 'open-list' ? await probeOpenList(spec) : probe === 'search-index' ? await probeSearchIndex(spec) : await probeSnapshotMemory(spec, sqliteFile(spec));
      await writeLine(ctx.stdout, JSON.stringify(figures));
    });
}

function backendList(value: string): BenchBackend[] {
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(BACKENDS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(`must list some of ${BACKENDS.join(', ')} (not ${unknown.join(', ') || 'nothing'})`);
  }
  return names as BenchBackend[];
}

function sqliteFile(spec: string): string {
  const parsed = parseStoreSpec(spec);
  return parsed.kind === 'sqlite' ? parsed.file : '';
}
