// `import <path> [--from auto|multichat|copilot|continue|cline|cursor]`: other tools' chat
// histories, or a multichat bundle, into the store. Every file is read whole before any of it is
// written, so a broken one changes nothing: it is named on stderr with what is wrong, the others
// still import, and the exit code is 3. Ctrl+C stops between sessions (the store holds whole
// sessions only) and exits 130; running the import again finishes it.
import { Command } from 'commander';
import { Writable } from 'node:stream';
import { ImportFormat, IMPORT_FORMATS, DEFAULT_READ_LIMITS } from '../../interop/import/importFormats';
import { ImportProgress, ImportReport, describeImportReport, runImport } from '../../interop/import/runImport';
import { CliContext, withStore, writeJson, writeLine } from '../context';
import { oneOf, positiveInteger } from '../options';

interface ImportCliOptions {
  from: ImportFormat | 'auto';
  json?: boolean;
  maxDbMb?: number;
}

/** Progress goes to stderr at most this often, and only for a run long enough to need it. */
const PROGRESS_MS = 2_000;

export function addImportCommand(program: Command, context: () => CliContext, setExitCode: (code: number) => void): void {
  program
    .command('import <path>')
    .description("import chat history: a multichat bundle, or Copilot Chat, Continue, Cline/Roo or Cursor files or folders; importing again updates what changed and duplicates nothing")
    .option('--from <format>', `the format: auto or ${IMPORT_FORMATS.join(', ')}`, oneOf(['auto', ...IMPORT_FORMATS] as const), 'auto')
    .option('--max-db-mb <mb>', `refuse databases (Cursor's state.vscdb) larger than this (default ${DEFAULT_READ_LIMITS.maxDatabaseBytes / 1024 / 1024})`, positiveInteger)
    .option('--json', 'print the report as JSON')
    .action(async (path: string, options: ImportCliOptions) => {
      const ctx = context();
      const report = await withCancelOnSignal((signal) =>
        withStore(ctx, (store) =>
          runImport(store, path, {
            from: options.from,
            signal,
            limits: options.maxDbMb ? { maxDatabaseBytes: options.maxDbMb * 1024 * 1024 } : DEFAULT_READ_LIMITS,
            onProgress: progressPrinter(ctx.stderr),
          }),
        ),
      );
      for (const failure of report.failed) {
        ctx.stderr.write(`multichat: not imported: ${failure.error}\n`);
      }
      await (options.json ? writeJson(ctx.stdout, report) : writeLine(ctx.stdout, describeImportReport(report)));
      if (report.cancelled || report.failed.length > 0) {
        setExitCode(report.cancelled ? 130 : 3);
      }
    });
}

async function withCancelOnSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

function progressPrinter(stderr: Writable): (progress: ImportProgress) => void {
  let last = Date.now();
  return (progress) => {
    const now = Date.now();
    if (now - last >= PROGRESS_MS) {
      last = now;
      stderr.write(`import: ${progress.messages} messages in ${progress.sessions} sessions, ${progress.unitsDone} of ${progress.units} files read\n`);
    }
  };
}

export type { ImportReport };
