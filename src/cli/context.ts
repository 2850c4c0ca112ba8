import { Readable, Writable } from 'node:stream';
import { SessionStore, StoreWarning } from '../core/store';
import { openStore } from '../stores/openStore';

/** What every command needs: where the store is, and the streams to talk through. */
export interface CliContext {
  storeSpec: string;
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
}

/**
 * Opens the store for one command and always closes it (flushing caches) afterwards. What the
 * store finds corrupt while reading is said on stderr, once each, as it is found (verify, which
 * reports problems itself, passes `quiet`). Failed background upkeep is not: it is retried, and
 * a command that cannot write says so itself.
 */
export async function withStore<T>(context: CliContext, work: (store: SessionStore) => Promise<T>, options: { quiet?: boolean } = {}): Promise<T> {
  const store = await openStore(context.storeSpec);
  const warnings = options.quiet
    ? undefined
    : store.onDidWarn((warning) => warning.kind === 'corrupt' && void context.stderr.write(`${warningLine(warning)}\n`));
  try {
    return await work(store);
  } finally {
    await store.close();
    warnings?.dispose();
  }
}

function warningLine(warning: StoreWarning): string {
  return `multichat: warning: ${warning.where}: ${warning.what} (run "multichat verify --repair" to quarantine it)`;
}

export function writeLine(stream: Writable, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(`${line}\n`, (error) => (error ? reject(error) : resolve()));
  });
}

export function writeJson(stream: Writable, value: unknown): Promise<void> {
  return writeLine(stream, JSON.stringify(value, null, 2));
}

/** Titles and snippets go on one tab-separated line: no tabs or line breaks inside a field. */
export function oneLine(text: string): string {
  return text.replace(/[\t\r\n\u2028\u2029]+/g, ' ');
}
