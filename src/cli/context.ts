import { Readable, Writable } from 'node:stream';
import { MultichatError } from '../core/errors';
import { SessionStore, StoreWarning } from '../core/store';
import { openStore } from '../stores/openStore';
import { HybridSessionStore } from '../stores/shared/hybridStore';
import { loginName } from '../stores/shared/loginName';
import { openHybridStore } from '../stores/shared/openHybridStore';

/** What every command needs: where the store is, and the streams to talk through. */
export interface CliContext {
  storeSpec: string;
  /** The team's Redis that mirrors the store's shared sessions (--remote, $MULTICHAT_REMOTE). */
  remoteSpec?: string;
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
export async function withStore<T>(context: CliContext, work: (store: SessionStore) => Promise<T>, options: StoreUse = {}): Promise<T> {
  const store = context.remoteSpec ? await openHybrid(context, context.remoteSpec, options) : await openStore(context.storeSpec);
  const warnings = options.quiet
    ? undefined
    : store.onDidWarn((warning) => warning.kind === 'corrupt' && void context.stderr.write(`${warningLine(warning)}\n`));
  try {
    const result = await work(store);
    if (store instanceof HybridSessionStore && store.queuedSinceOpen > 0) {
      // Acknowledged already (the local store has it); Redis gets a short chance, then it stays queued.
      await store.sharing.settle(SETTLE_MS);
    }
    return result;
  } finally {
    await store.close();
    warnings?.dispose();
  }
}

export interface StoreUse {
  quiet?: boolean;
  /** The command runs until stopped (watch): a lost Redis is waited for, not given up on. */
  longLived?: boolean;
}

/** How long a command's first connect attempt may take, and how long its writes wait to reach Redis. */
const CONNECT_MS = 2_000;
export const SETTLE_MS = 3_000;

/** The store as a hybrid; for the sharing commands, which mean nothing without a remote. */
export async function withHybrid<T>(context: CliContext, work: (store: HybridSessionStore) => Promise<T>, options: StoreUse = {}): Promise<T> {
  if (!context.remoteSpec) {
    throw new MultichatError('usage', 'this command needs the team\'s Redis: pass --remote <redis spec> or set MULTICHAT_REMOTE');
  }
  return withStore(context, (store) => work(store as HybridSessionStore), options);
}

function openHybrid(context: CliContext, remoteSpec: string, options: StoreUse): Promise<HybridSessionStore> {
  return openHybridStore(context.storeSpec, remoteSpec, { retry: options.longLived ?? false, connectTimeoutMs: CONNECT_MS, author: cliAuthor() });
}

/** Who writes from this command line: $MULTICHAT_AUTHOR, else the login name. */
export function cliAuthor(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.MULTICHAT_AUTHOR ? env.MULTICHAT_AUTHOR.slice(0, 200) : loginName();
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
