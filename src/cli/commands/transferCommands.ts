import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { MultichatError, sessionNotFound, storeUnavailable } from '../../core/errors';
import { importSessions } from '../../core/importSession';
import { Session } from '../../core/model';
import { SessionStore } from '../../core/store';
import { describeImport, makeBundle, readBundle } from '../../interop/bundle';
import { sessionsToMarkdown } from '../../interop/markdown';
import { replaceFileAtomically } from '../../stores/fs/atomicFile';
import { describeIoCause } from '../../stores/fs/ioErrors';
import { openStore } from '../../stores/openStore';
import { CliContext, withStore, writeJson, writeLine } from '../context';
import { oneOf } from '../options';

/** export, import and migrate: moving whole sessions between stores and files. */
export function addTransferCommands(program: Command, context: () => CliContext): void {
  program
    .command('export [ids...]')
    .description('export sessions (all when no id is given) as a JSON bundle or Markdown')
    .option('--format <format>', 'json or markdown', oneOf(['json', 'markdown'] as const), 'json')
    .option('--out <path>', 'write to this file (atomically) instead of stdout')
    .action(async (ids: string[], options: { format: 'json' | 'markdown'; out?: string }) => {
      const ctx = context();
      const sessions = await withStore(ctx, (store) => loadSessions(store, ids));
      const text = options.format === 'json' ? JSON.stringify(makeBundle(sessions), null, 2) + '\n' : sessionsToMarkdown(sessions);
      await (options.out ? writeExport(options.out, text) : writeLine(ctx.stdout, text.trimEnd()));
    });

  program
    .command('import <file>')
    .description('import a multichat export bundle; importing it again changes nothing')
    .option('--json', 'print the counts as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const ctx = context();
      const { sessions, ignoredFields } = readBundle(await readInput(file));
      const counts = await withStore(ctx, (store) => importSessions(store, sessions));
      const ignored = Object.keys(ignoredFields).length > 0 ? { ignoredFields } : {};
      await (options.json ? writeJson(ctx.stdout, { ...counts, ...ignored }) : writeLine(ctx.stdout, describeImport(counts, ignoredFields)));
    });

  program
    .command('migrate')
    .description('copy every session to another store, idempotently')
    .requiredOption('--to <spec>', 'the target store: json:<dir> or sqlite:<file>')
    .option('--json', 'print the counts as JSON')
    .action(async (options: { to: string; json?: boolean }) => {
      const ctx = context();
      const counts = await withStore(ctx, (source) => migrate(source, options.to));
      await (options.json ? writeJson(ctx.stdout, counts) : writeLine(ctx.stdout, `migrated ${counts.imported + counts.updated + counts.unchanged} sessions: imported ${counts.imported}, updated ${counts.updated}, unchanged ${counts.unchanged}`));
    });
}

async function loadSessions(store: SessionStore, ids: readonly string[]): Promise<Session[]> {
  const wanted = ids.length > 0 ? ids : (await store.list()).map((summary) => summary.id);
  const sessions: Session[] = [];
  for (const id of wanted) {
    const session = await store.get(id);
    if (!session && ids.length > 0) {
      throw sessionNotFound(id);
    }
    if (session) {
      sessions.push(session);
    }
  }
  return sessions;
}

async function migrate(source: SessionStore, targetSpec: string): Promise<Awaited<ReturnType<typeof importSessions>>> {
  const target = await openStore(targetSpec);
  try {
    if (target.spec === source.spec) {
      throw new MultichatError('usage', 'the target store is the source store');
    }
    const sessions = await loadSessions(source, []);
    return await importSessions(target, sessions);
  } finally {
    await target.close();
  }
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new MultichatError('invalid-input', `could not read ${file}: ${describeIoCause(error)}`);
  }
}

/** Atomically: a full disk or a read-only folder leaves any earlier export whole, and says why. */
async function writeExport(path: string, text: string): Promise<void> {
  try {
    await replaceFileAtomically(path, text);
  } catch (error) {
    throw storeUnavailable(`could not write ${path}: ${describeIoCause(error)}`, error);
  }
}
