import { Command } from 'commander';
import { sessionNotFound } from '../../core/errors';
import { SessionPatch } from '../../core/model';
import { SessionStore } from '../../core/store';
import { sessionToMarkdown } from '../../interop/markdown';
import { CliContext, withStore, writeJson, writeLine } from '../context';
import { collect, oneOf, positiveInteger } from '../options';
import { sessionJson, summaryJson, summaryLine } from '../present';
import { listShared } from './sharingCommands';

/** new, list, show, rename, tag, pin, unpin, delete. */
export function addSessionCommands(program: Command, context: () => CliContext): void {
  program
    .command('new')
    .description('create a session and print its id')
    .option('--title <text>', 'the session title (without one, the first user message names it)')
    .option('--tag <tag>', 'a tag (repeatable)', collect, [])
    .option('--json', 'print the new session summary as JSON')
    .action(async (options: { title?: string; tag: string[]; json?: boolean }) => {
      const ctx = context();
      const summary = await withStore(ctx, (store) => store.create({ title: options.title, tags: options.tag }));
      await (options.json ? writeJson(ctx.stdout, summaryJson(summary)) : writeLine(ctx.stdout, summary.id));
    });

  program
    .command('list')
    .description('list sessions, latest message first (tags, pins and renames do not reorder them)')
    .option('--tag <tag>', 'only sessions with this tag')
    .option('--limit <n>', 'at most this many sessions', positiveInteger)
    .option('--json', 'print an array of summaries as JSON')
    .option('--shared', "list the team's shared sessions in Redis (every editor's), with who last wrote each (needs --remote)")
    .action(async (options: { tag?: string; limit?: number; json?: boolean; shared?: boolean }) => {
      const ctx = context();
      if (options.shared) {
        await listShared(ctx, options.json === true);
        return;
      }
      const summaries = await withStore(ctx, (store) => store.list({ tag: options.tag, limit: options.limit }));
      if (options.json) {
        await writeJson(ctx.stdout, summaries.map(summaryJson));
        return;
      }
      for (const summary of summaries) {
        await writeLine(ctx.stdout, summaryLine(summary));
      }
    });

  program
    .command('show <id>')
    .description('print a session with its messages')
    .option('--format <format>', 'json or markdown', oneOf(['json', 'markdown'] as const), 'json')
    .action(async (id: string, options: { format: 'json' | 'markdown' }) => {
      const ctx = context();
      const session = await withStore(ctx, (store) => store.get(id));
      if (!session) {
        throw sessionNotFound(id);
      }
      await (options.format === 'json' ? writeJson(ctx.stdout, sessionJson(session)) : writeLine(ctx.stdout, sessionToMarkdown(session)));
    });

  addMetadataCommands(program, context);

  program
    .command('delete <id>')
    .description('delete a session')
    .action(async (id: string) => {
      const deleted = await withStore(context(), (store) => store.delete(id));
      if (!deleted) {
        throw sessionNotFound(id);
      }
    });
}

function addMetadataCommands(program: Command, context: () => CliContext): void {
  const update = async (id: string, patch: SessionPatch): Promise<void> => {
    await withStore(context(), (store: SessionStore) => store.update(id, patch));
  };

  program
    .command('rename <id> <title>')
    .description('change a session title')
    .action((id: string, title: string) => update(id, { title }));

  program
    .command('tag <id>')
    .description('add or remove tags')
    .option('--add <tag>', 'a tag to add (repeatable)', collect, [])
    .option('--remove <tag>', 'a tag to remove (repeatable)', collect, [])
    .action((id: string, options: { add: string[]; remove: string[] }) => update(id, { addTags: options.add, removeTags: options.remove }));

  program
    .command('pin <id>')
    .description('pin a session')
    .action((id: string) => update(id, { pinned: true }));

  program
    .command('unpin <id>')
    .description('unpin a session')
    .action((id: string) => update(id, { pinned: false }));
}
