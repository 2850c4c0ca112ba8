import { Command } from 'commander';
import { Writable } from 'node:stream';
import { describeError, storeUnavailable } from '../../core/errors';
import { Disposable, SessionStore, StoreChange } from '../../core/store';
import { redactStoreSpec } from '../../stores/specRedaction';
import { HybridSessionStore } from '../../stores/shared/hybridStore';
import { CliContext, withStore } from '../context';

// `watch [--json]` prints one line per change the store reports, until SIGINT or SIGTERM (exit 0).
// Following other processes' writes is the store's job (JSON and SQLite watch their folder); the
// command only listens to `onDidChange`, so any backend works unchanged. Each line is one write, so
// a reader of a pipe sees it at once; a reader that goes away (`| head -1`) ends the watch quietly
// at the next line. A store that stops answering (a read every few seconds fails or hangs) ends it
// with exit 5.

/** One line of `watch --json`; sessionId is null for 'reloaded', which may concern every session. */
export interface WatchedChange {
  kind: StoreChange['kind'];
  sessionId: string | null;
  external: boolean;
  /** When this process saw the change (ISO-8601 UTC). */
  at: string;
}

export interface WatchOptions {
  output: Writable;
  json: boolean;
  /** Ends the watch (resolving) when aborted. */
  stop: AbortSignal;
  /** Called once the store answers and every change from now on will be printed. */
  onLive?: () => void;
  /** How often the store is asked whether it still answers (default 5 s), and how long it may take (default 10 s). */
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
}

export function addWatchCommand(program: Command, context: () => CliContext): void {
  program
    .command('watch')
    .description('print one line per change to the store as it happens, until interrupted (Ctrl+C)')
    .option('--json', 'print each change as {"kind", "sessionId", "external", "at"} on its own line')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      try {
        await withStore(
          ctx,
          (store) => {
            // A hybrid follows the team's changes to mirrored sessions too, reconnecting as long as it watches.
            void (store instanceof HybridSessionStore && store.sharing.connect());
            return watchStore(store, {
              output: ctx.stdout,
              json: options.json === true,
              stop: stop.signal,
              onLive: () => ctx.stderr.write(`multichat: watching ${redactStoreSpec(store.spec)} (Ctrl+C to stop)\n`),
            });
          },
          { longLived: true },
        );
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      }
    });
}

/**
 * Prints the store's changes to `output` until `stop` is aborted or the output's reader goes away
 * (both resolve); rejects with an 'unavailable' error when the store stops answering, and with the
 * output's own error when it fails otherwise.
 */
export async function watchStore(store: SessionStore, options: WatchOptions): Promise<void> {
  const probe = (): Promise<void> => probeStore(store, options.probeTimeoutMs ?? 10_000);
  // Answering once first means the store is open and loaded: what it reports from now on is new.
  await probe();
  if (options.stop.aborted) {
    return;
  }
  let output: LineWriter | undefined;
  let subscription: Disposable | undefined;
  let prober: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      options.stop.addEventListener('abort', () => resolve(), { once: true });
      output = lineWriter(options.output, { gone: resolve, failed: reject });
      const writer = output;
      subscription = store.onDidChange((change) => writer.write(formatChange(watchedChange(change), options.json)));
      // Also what keeps the process running: the stores' own watchers do not hold it open.
      prober = everyInterval(probe, options.probeIntervalMs ?? 5_000, reject);
      options.onLive?.();
    });
  } finally {
    subscription?.dispose();
    clearInterval(prober);
    output?.dispose();
  }
}

export function watchedChange(change: StoreChange, seenAt: Date = new Date()): WatchedChange {
  const sessionId = change.kind === 'reloaded' ? null : change.sessionId;
  return { kind: change.kind, sessionId, external: change.external, at: seenAt.toISOString() };
}

/** JSON on one line, or tab-separated: time, kind, session id (- for 'reloaded'), external or own. */
export function formatChange(change: WatchedChange, json: boolean): string {
  if (json) {
    return JSON.stringify(change);
  }
  return [change.at, change.kind, change.sessionId ?? '-', change.external ? 'external' : 'own'].join('\t');
}

async function probeStore(store: SessionStore, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([store.list({ limit: 1 }), timeout]);
  } catch (error) {
    throw storeUnavailable(`the store ${redactStoreSpec(store.spec)} does not answer: ${describeError(error)}`, error);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `task` every `intervalMs`, one run at a time, handing its first failure to `onFailure`. */
function everyInterval(task: () => Promise<void>, intervalMs: number, onFailure: (error: unknown) => void): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running) {
      return;
    }
    running = true;
    task().then(
      () => (running = false),
      (error: unknown) => onFailure(error),
    );
  }, intervalMs);
}

interface LineWriter extends Disposable {
  write(line: string): void;
}

/** What a write fails with once the reader of a pipe has gone: the first write after it, and any later one. */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/** Writes whole lines, each at once; the output's first failure ends it: `gone` when its reader left, else `failed`. */
function lineWriter(output: Writable, ended: { gone: () => void; failed: (error: unknown) => void }): LineWriter {
  let broken = false;
  const onError = (error: NodeJS.ErrnoException): void => {
    if (!broken) {
      broken = true;
      return READER_GONE.has(error.code ?? '') ? ended.gone() : ended.failed(error);
    }
  };
  output.on('error', onError);
  return {
    write: (line) => void (broken || output.write(`${line}\n`, (error) => error && onError(error))),
    // A broken output keeps its listener: it may report the same failure again (on the last flush at exit).
    dispose: () => void (broken || output.off('error', onError)),
  };
}
