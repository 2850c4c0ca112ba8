import { Command } from 'commander';
import { CliContext, withStore, writeJson, writeLine } from '../context';
import { positiveInteger } from '../options';
import { searchHitJson, searchHitLine } from '../present';

export function addSearchCommand(program: Command, context: () => CliContext): void {
  program
    .command('search <words...>')
    .description('find sessions whose title or a message holds every word (case-insensitive), best first')
    .option('--limit <n>', 'at most this many results', positiveInteger)
    .option('--json', 'print [{sessionId, messageId, title, snippet}]')
    .action(async (words: string[], options: { limit?: number; json?: boolean }) => {
      const ctx = context();
      const hits = await withStore(ctx, (store) => store.search(words.join(' '), { limit: options.limit }));
      if (options.json) {
        await writeJson(ctx.stdout, hits.map(searchHitJson));
        return;
      }
      for (const hit of hits) {
        await writeLine(ctx.stdout, searchHitLine(hit));
      }
    });
}
