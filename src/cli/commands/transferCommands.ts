// export and migrate: moving whole sessions between stores and files (import: importCommand.ts).
import { Command } from 'commander';
import { Writable } from 'node:stream';
import { MultichatError, storeUnavailable } from '../../core/errors';
import { Session } from '../../core/model';
import { SessionStore } from '../../core/store';
import { ExportFormat } from '../../interop/exportRender';
import { exportToFolder } from '../../interop/exportFiles';
import { exportToFile, storeSessions, streamExport } from '../../interop/exportStream';
import { heapRelief } from '../../interop/heapRelief';
import { MigrationResult, migrateSessions } from '../../interop/migrate';
import { mismatchError } from '../../interop/migrationCheck';
import { oneLineBreakAtEnd, writableSink } from '../../interop/textSink';
import { describeIoCause } from '../../stores/fs/ioErrors';
import { openStore } from '../../stores/openStore';
import { CliContext, withStore, writeJson, writeLine } from '../context';
import { oneOf } from '../options';

export function addTransferCommands(program: Command, context: () => CliContext): void {
  program
    .command('export [ids...]')
    .description('export sessions (all when no id is given) as a JSON bundle or Markdown, streamed one session at a time')
    .option('--format <format>', 'json or markdown', oneOf(['json', 'markdown'] as const), 'json')
    .option('--out <path>', 'write to this file (atomically) instead of stdout')
    .option('--out-dir <folder>', 'write one file per session into this folder (<title>-<id>.md or .json)')
    .action(async (ids: string[], options: ExportCliOptions) => {
      const ctx = context();
      if (options.out && options.outDir) {
        throw new MultichatError('usage', 'give --out or --out-dir, not both');
      }
      await withStore(ctx, async (store) => {
        const sessions = await storeSessions(store, ids);
        await exportSessions(ctx.stdout, sessions, options);
      });
    });

  program
    .command('migrate')
    .description('copy every session to another store, idempotently and resumably, then check the copy')
    .requiredOption('--to <spec>', 'the target store: json:<dir>, sqlite:<file> or a Redis URL')
    .option('--json', 'print the counts as JSON')
    .action(async (options: { to: string; json?: boolean }) => {
      const ctx = context();
      const { imported, updated, unchanged } = await withStore(ctx, (source) => migrate(source, options.to, ctx.stderr));
      await (options.json
        ? writeJson(ctx.stdout, { imported, updated, unchanged })
        : writeLine(ctx.stdout, `migrated ${imported + updated + unchanged} sessions: imported ${imported}, updated ${updated}, unchanged ${unchanged}`));
    });
}

interface ExportCliOptions {
  format: ExportFormat;
  out?: string;
  outDir?: string;
}

async function exportSessions(stdout: Writable, sessions: AsyncIterable<Session>, options: ExportCliOptions): Promise<void> {
  if (options.outDir) {
    const folder = options.outDir;
    await failingAsUnavailable(folder, () => exportToFolder(folder, sessions, { format: options.format, onSession: heapRelief() }));
    return;
  }
  await (options.out ? writeExportFile(options.out, sessions, options.format) : exportToStdout(stdout, sessions, options.format));
}

async function exportToStdout(stdout: Writable, sessions: AsyncIterable<Session>, format: ExportFormat): Promise<void> {
  // As any printed text: without trailing white space, ended by one line break.
  const sink = oneLineBreakAtEnd(writableSink(stdout));
  await streamExport(sessions, sink, { format, onSession: heapRelief() });
  await sink.end();
}

/** Progress goes to stderr every this many sessions, and once at the end of each phase. */
const PROGRESS_EVERY = 500;

async function migrate(source: SessionStore, targetSpec: string, stderr: Writable): Promise<MigrationResult> {
  const target = await openStore(targetSpec);
  try {
    if (target.spec === source.spec) {
      throw new MultichatError('usage', 'the target store is the source store');
    }
    const relieve = heapRelief();
    const onProgress = (done: number, total: number): void => {
      relieve();
      if (done % PROGRESS_EVERY === 0 || done === total) {
        stderr.write(`migrate: copied and checked ${done} of ${total} sessions\n`);
      }
    };
    const result = await migrateSessions(source, target, { check: true, onProgress });
    const mismatch = result.check && mismatchError(result.check);
    if (mismatch) {
      throw mismatch;
    }
    stderr.write(`migrate: the target matches the source: ${result.check?.checked ?? 0} sessions, their message counts and content hashes\n`);
    return result;
  } finally {
    await target.close();
  }
}

/** Atomically: a full disk or a read-only folder leaves any earlier export whole, and says why. */
async function writeExportFile(path: string, sessions: AsyncIterable<Session>, format: ExportFormat): Promise<void> {
  await failingAsUnavailable(path, () => exportToFile(path, sessions, { format, onSession: heapRelief() }));
}

async function failingAsUnavailable(path: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof MultichatError) {
      throw error;
    }
    throw storeUnavailable(`could not write ${path}: ${describeIoCause(error)}`, error);
  }
}
