import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { MultichatError, invalidInput } from '../../core/errors';
import { NewMessage, newMessageSchema } from '../../core/model';
import { SessionStore } from '../../core/store';
import { parseOrThrow } from '../../core/validate';
import { CliContext, withStore, writeLine } from '../context';
import { oneOf } from '../options';

// `append <id> --role … --content …` appends one message; `append <id> --jsonl` streams one JSON
// object per stdin line and acknowledges each with its id only once it is durable, so a writer
// killed at any moment knows exactly which messages were kept.

interface AppendOptions {
  role?: NewMessage['role'];
  content?: string;
  jsonl?: boolean;
}

export function addAppendCommand(program: Command, context: () => CliContext): void {
  program
    .command('append <id>')
    .description('append a message (or, with --jsonl, one message per stdin line) and print the new ids')
    .option('--role <role>', 'user, assistant or system', oneOf(['user', 'assistant', 'system'] as const))
    .option('--content <text>', 'the message text (markdown)')
    .option('--jsonl', 'read {"role": …, "content": …} objects, one per line, from stdin')
    .action(async (id: string, options: AppendOptions) => {
      const ctx = context();
      checkAppendOptions(options);
      await withStore(ctx, (store) => (options.jsonl ? appendJsonLines(store, id, ctx) : appendOne(store, id, options, ctx)));
    });
}

function checkAppendOptions(options: AppendOptions): void {
  const single = options.role !== undefined || options.content !== undefined;
  if (options.jsonl && single) {
    throw new MultichatError('usage', 'use either --jsonl or --role with --content, not both');
  }
  if (!options.jsonl && (options.role === undefined || options.content === undefined)) {
    throw new MultichatError('usage', 'append needs --role and --content, or --jsonl');
  }
}

async function appendOne(store: SessionStore, id: string, options: AppendOptions, ctx: CliContext): Promise<void> {
  const [message] = await store.appendMessages(id, [{ role: options.role!, content: options.content! }]);
  await writeLine(ctx.stdout, message.id);
}

async function appendJsonLines(store: SessionStore, id: string, ctx: CliContext): Promise<void> {
  if (!(await store.get(id))) {
    throw new MultichatError('not-found', `no such session: ${id}`);
  }
  const lines = createInterface({ input: ctx.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim().length === 0) {
      continue;
    }
    const message = parseJsonLine(line, lineNumber);
    const [appended] = await store.appendMessages(id, [message]);
    await writeLine(ctx.stdout, appended.id);
  }
}

function parseJsonLine(line: string, lineNumber: number): NewMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw invalidInput(`line ${lineNumber}: not valid JSON`);
  }
  try {
    return parseOrThrow(newMessageSchema, value, 'message');
  } catch (error) {
    throw invalidInput(`line ${lineNumber}: ${(error as Error).message}`);
  }
}
