import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { boundFilesInThread } from './boundScan';
import type { ScanReply, ScanRequest } from './scanWorker';

// Worker threads for the first pass of a big search, one per core (up to four): reading and
// screening 10,000 session files is I/O and CPU that splits cleanly, and off the calling thread
// it cannot stall the extension host. The threads start on the first big search, stay for the
// next ones, and end after a quiet half minute; they never keep a process alive. Small stores
// are screened in the calling thread, where starting a worker would cost more than it saves, and
// so is every search once a worker has failed.

const MAX_THREADS = 4;
const IDLE_MS = 30_000;
const MIN_FILES_FOR_THREADS = 1_000;

export async function scanBounds(paths: readonly string[], words: readonly string[], signal?: AbortSignal): Promise<Float64Array> {
  if (paths.length < MIN_FILES_FOR_THREADS || sharedPool.broken || sharedPool.size < 2) {
    return boundFilesInThread(paths, words, signal);
  }
  try {
    return await sharedPool.bounds(paths, words);
  } catch {
    return boundFilesInThread(paths, words, signal);
  }
}

export class ScanPool {
  private threads: ScanThread[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  /** Set when a worker fails (rather than a file it read): from then on the caller screens. */
  broken = false;

  constructor(readonly size = Math.min(availableParallelism(), MAX_THREADS)) {}

  async bounds(paths: readonly string[], words: readonly string[]): Promise<Float64Array> {
    clearTimeout(this.idleTimer);
    while (this.threads.length < this.size) {
      const thread: ScanThread = new ScanThread(() => this.drop(thread));
      this.threads.push(thread);
    }
    const share = Math.ceil(paths.length / this.threads.length);
    try {
      const parts = await Promise.all(this.threads.map((thread, index) => thread.scan(paths.slice(index * share, (index + 1) * share), words)));
      return concatenate(parts, paths.length);
    } finally {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS).unref();
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((thread) => thread.terminate()));
  }

  /** A worker that crashed or could not start: the calling thread takes over from now on. */
  private drop(thread: ScanThread): void {
    this.threads = this.threads.filter((other) => other !== thread);
    this.broken = true;
  }
}

const sharedPool = new ScanPool();

interface PendingScan {
  resolve: (bounds: Float64Array) => void;
  reject: (error: Error) => void;
}

/** One worker and the scans it owes; it holds the process open only while a scan is pending. */
class ScanThread {
  private readonly worker = startWorker();
  private readonly pending = new Map<number, PendingScan>();
  private nextId = 0;

  private ending = false;

  constructor(onCrash: () => void) {
    this.worker.unref();
    this.worker.on('message', (reply: ScanReply) => this.settle(reply));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => {
      this.failAll(new Error(`search worker exited with code ${code}`));
      if (!this.ending) {
        onCrash();
      }
    });
  }

  scan(paths: string[], words: readonly string[]): Promise<Float64Array> {
    const request: ScanRequest = { id: this.nextId++, paths, words: [...words] };
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async terminate(): Promise<void> {
    this.ending = true;
    await this.worker.terminate();
  }

  private settle(reply: ScanReply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) {
      this.worker.unref();
    }
    if ('error' in reply) {
      pending?.reject(new Error(reply.error));
    } else {
      pending?.resolve(reply.bounds);
    }
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) {
      pending.reject(error);
    }
    this.pending.clear();
    this.worker.unref();
  }
}

/**
 * The bundles ship the worker beside themselves (scripts/build.mjs). Run from the TypeScript
 * sources, as the unit tests do, the worker loads them through tsx, a development dependency.
 */
function startWorker(): Worker {
  const bundled = join(__dirname, 'scanWorker.js');
  if (existsSync(bundled)) {
    return new Worker(bundled);
  }
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  const source = join(__dirname, 'scanWorker.ts');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, { eval: true });
}

function concatenate(parts: readonly Float64Array[], length: number): Float64Array {
  const all = new Float64Array(length);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}
