import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { formatChange, watchStore } from '../src/cli/commands/watchCommand';
import { isMultichatError } from '../src/core/errors';
import { SessionStore } from '../src/core/store';
import { openStore } from '../src/stores/openStore';
import { BACKENDS, CLI_PATH, cli, cliOk, useFreshStore } from './helpers/cli';
import { waitFor } from './helpers/tempDir';

// `multichat watch` as a user runs it: a real child process following a real store, while other CLI
// processes write to it. Every wait is bounded; a watcher still running after a test is killed.

const LINE_WAIT_MS = 5_000;
const EXIT_WAIT_MS = 5_000;
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Arrival {
  text: string;
  /** When the line reached this process (Date.now()). */
  at: number;
}

/** A running `multichat watch`: its stdout lines as they arrive, its stderr, its exit. */
class Watcher {
  readonly lines: Arrival[] = [];
  stderr = '';
  private read = 0;
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    this.exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (text) => this.lines.push({ text, at: Date.now() }));
    }
  }

  async nextLine(timeoutMs = LINE_WAIT_MS): Promise<Arrival> {
    await waitFor(() => this.lines.length > this.read, timeoutMs).catch(() => {
      throw new Error(`no line from watch within ${timeoutMs} ms; stderr: ${this.stderr}`);
    });
    return this.lines[this.read++];
  }

  /** Gives the line just taken back (so the next nextLine returns it again). */
  unread(arrival: Arrival): void {
    assert.equal(this.lines[this.read - 1], arrival);
    this.read--;
  }

  async exited(timeoutMs = EXIT_WAIT_MS): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`watch still running ${timeoutMs} ms later; stderr: ${this.stderr}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exit, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const running = new Set<ChildProcess>();
function killStillRunning(): void {
  running.forEach((child) => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  running.clear();
}
afterEach(killStillRunning);
process.once('exit', killStillRunning); // a test that failed mid-way leaves no watcher behind

/** Starts `multichat watch` and resolves once it says on stderr that it is watching. */
async function startWatch(spec: string, args: string[], stdout: 'pipe' | Writable = 'pipe'): Promise<Watcher> {
  const child = spawn(process.execPath, [CLI_PATH, '--store', spec, 'watch', ...args], { stdio: ['ignore', stdout, 'pipe'] });
  running.add(child);
  const watcher = new Watcher(child);
  await waitFor(() => watcher.stderr.includes('watching') || child.exitCode !== null, 10_000);
  assert.match(watcher.stderr, /^multichat: watching .+ \(Ctrl\+C to stop\)\n$/);
  return watcher;
}

/** Runs another CLI command to its end without blocking this process, so arrivals are timed as they happen. */
async function runCli(args: string[], spec: string): Promise<{ stdout: string; printedAt: number; endedAt: number }> {
  const child = spawn(process.execPath, [CLI_PATH, '--store', spec, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  let stdout = '';
  let stderr = '';
  let printedAt = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    printedAt ||= Date.now();
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // Both listened for now: 'close' can follow 'exit' in the same tick.
  const closed = once(child, 'close');
  const [code] = (await once(child, 'exit')) as [number | null];
  const endedAt = Date.now();
  await closed;
  assert.equal(code, 0, `multichat ${args.join(' ')} exited ${code}: ${stderr}`);
  return { stdout: stdout.trim(), printedAt, endedAt };
}

/** Passes over whole re-reads of the store (harmless repeats) up to the next other line, which is left to read. */
async function skipReloads(watcher: Watcher): Promise<void> {
  for (;;) {
    const arrival = await watcher.nextLine();
    if ((JSON.parse(arrival.text) as { kind?: unknown }).kind !== 'reloaded') {
      watcher.unread(arrival);
      return;
    }
  }
}

/** The next line is `kind` of `sessionId` from another process, seen between `since` and its arrival. */
async function expectChange(watcher: Watcher, expected: { kind: string; sessionId: string | null }, since: number): Promise<Arrival> {
  const arrival = await watcher.nextLine();
  const change = JSON.parse(arrival.text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(change).sort(), ['at', 'external', 'kind', 'sessionId']);
  assert.deepEqual({ kind: change.kind, sessionId: change.sessionId, external: change.external }, { ...expected, external: true });
  assert.match(String(change.at), ISO_UTC);
  const at = Date.parse(String(change.at));
  assert.ok(at >= since - 1 && at <= arrival.at + 1, `seen at ${String(change.at)}, between the write and the line's arrival`);
  return arrival;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

for (const backend of BACKENDS) {
  describe(`multichat watch on ${backend}`, { timeout: 120_000 }, () => {
    const fresh = useFreshStore(backend);

    it('prints each change another process makes as one JSON line, in order, as it happens', async () => {
      cliOk(['new', '--title', 'already there'], { store: fresh.spec });
      const watcher = await startWatch(fresh.spec, ['--json']);
      assert.ok(watcher.stderr.includes(`watching ${backend}:${fresh.dir}`), watcher.stderr);
      let since = Date.now();
      const { stdout: id } = await runCli(['new', '--title', 'watched'], fresh.spec);
      await expectChange(watcher, { kind: 'created', sessionId: id }, since);
      const steps: [string[], string][] = [
        [['append', id, '--role', 'user', '--content', 'hello'], 'appended'],
        [['tag', id, '--add', 'work'], 'updated'],
        [['rename', id, 'Renamed'], 'updated'],
        [['pin', id], 'updated'],
        [['delete', id], 'deleted'],
      ];
      for (const [args, kind] of steps) {
        since = Date.now();
        await runCli(args, fresh.spec);
        await expectChange(watcher, { kind, sessionId: id }, since);
      }
      watcher.child.kill('SIGINT');
      assert.deepEqual(await watcher.exited(), { code: 0, signal: null });
      assert.equal(watcher.lines.length, steps.length + 1, 'one line per change, nothing else');
    });

    it('delivers a change promptly after the writing command ends (median of 20 appends)', async (t) => {
      const id = cliOk(['new', '--title', 'timed'], { store: fresh.spec }).trim();
      const watcher = await startWatch(fresh.spec, ['--json']);
      const latencies: number[] = [];
      const sinceAcknowledged: number[] = [];
      for (let i = 0; i < 20; i++) {
        const since = Date.now();
        const { printedAt, endedAt } = await runCli(['append', id, '--role', 'user', '--content', `message ${i}`], fresh.spec);
        const arrival = await expectChange(watcher, { kind: 'appended', sessionId: id }, since);
        latencies.push(arrival.at - endedAt);
        sinceAcknowledged.push(arrival.at - printedAt);
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      // The writer prints the id once the message is durable, and exits a little later: a line can come first.
      t.diagnostic(`${backend}: writer exited → line arrived, median ${median(latencies)} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms`);
      t.diagnostic(`${backend}: writer printed the id → line arrived, median ${median(sinceAcknowledged)} ms`);
      assert.ok(median(latencies) < 1_000, `median ${median(latencies)} ms`);
    });

    it('follows a store that another process creates after the watch started', async () => {
      const watcher = await startWatch(fresh.spec, ['--json']);
      let since = Date.now();
      const { stdout: id } = await runCli(['new', '--title', 'first'], fresh.spec);
      // A SQLite store that did not exist is read whole once it appears: a 'reloaded' without a session.
      await expectChange(watcher, backend === 'json' ? { kind: 'created', sessionId: id } : { kind: 'reloaded', sessionId: null }, since);
      since = Date.now();
      await runCli(['append', id, '--role', 'user', '--content', 'then this'], fresh.spec);
      if (backend === 'sqlite') {
        // Its files appear one by one (journal, then database and sidecar as the writer closes):
        // on a busy machine the watcher may read the new store whole again in between.
        await skipReloads(watcher);
      }
      await expectChange(watcher, { kind: 'appended', sessionId: id }, since);
    });
  });
}

describe('multichat watch', { timeout: 120_000 }, () => {
  const fresh = useFreshStore('json');

  it('prints tab-separated lines without --json: time, kind, session, external', async () => {
    const watcher = await startWatch(fresh.spec, []);
    const { stdout: id } = await runCli(['new', '--title', 'plain'], fresh.spec);
    assert.match((await watcher.nextLine()).text, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\tcreated\\t${id}\\texternal$`));
    await runCli(['delete', id], fresh.spec);
    const [at, ...rest] = (await watcher.nextLine()).text.split('\t');
    assert.match(at, ISO_UTC);
    assert.deepEqual(rest, ['deleted', id, 'external']);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits 0 promptly on ${signal}, having printed nothing but what changed`, async () => {
      const watcher = await startWatch(fresh.spec, ['--json']);
      const sentAt = Date.now();
      watcher.child.kill(signal);
      assert.deepEqual(await watcher.exited(3_000), { code: 0, signal: null });
      assert.ok(Date.now() - sentAt < 3_000);
      assert.equal(watcher.lines.length, 0);
      assert.match(watcher.stderr, /^multichat: watching [^\n]+\n$/, 'no other word on stderr');
    });
  }

  it('ends quietly with 0 when its reader goes away (| head -1)', async () => {
    const head = spawn('head', ['-n', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    running.add(head);
    let headOutput = '';
    head.stdout.setEncoding('utf8').on('data', (chunk: string) => (headOutput += chunk));
    const watcher = await startWatch(fresh.spec, ['--json'], head.stdin);
    head.stdin.destroy(); // the watcher holds the pipe's only writing end now
    const { stdout: first } = await runCli(['new', '--title', 'one'], fresh.spec);
    const [headCode] = (await once(head, 'exit')) as [number];
    assert.equal(headCode, 0);
    // The next line finds the pipe closed.
    await runCli(['new', '--title', 'two'], fresh.spec);
    assert.deepEqual(await watcher.exited(), { code: 0, signal: null });
    assert.equal((JSON.parse(headOutput) as { sessionId: string }).sessionId, first);
    assert.match(watcher.stderr, /^multichat: watching [^\n]+\n$/, 'no EPIPE or other word on stderr');
  });

  it('says on stderr what it finds corrupt, as other commands do', async () => {
    const id = cliOk(['new', '--title', 'damaged'], { store: fresh.spec }).trim();
    const watcher = await startWatch(fresh.spec, ['--json']);
    const file = join(fresh.dir, 'store', `${id}.jsonl`);
    appendFileSync(file, '{not json\n');
    await waitFor(() => watcher.stderr.includes('warning'), LINE_WAIT_MS);
    assert.ok(watcher.stderr.includes(`multichat: warning: ${file}: line 2: not valid JSON`), watcher.stderr);
    assert.ok(!watcher.lines.some((line) => line.text.includes('not json')), 'stdout stays machine-readable');
  });

  it('refuses an invalid store spec with exit 2 and says why', () => {
    const result = cli(['watch', '--json'], { store: 'bogus' });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'multichat: invalid store "bogus": expected json:<dir> or sqlite:<file>\n');
  });

  it('exits 5 when the store cannot be opened', () => {
    const notAFolder = join(fresh.dir, 'a-file');
    writeFileSync(notAFolder, 'not a folder');
    const result = cli(['watch', '--json'], { store: `json:${notAFolder}` });
    assert.equal(result.code, 5);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^multichat: could not open the session folder .*a-file: .*\n$/);
  });
});

/**
 * A real store whose reads fail or hang after the first: a store losing its server (Redis) does that;
 * the local backends cannot be made to, so the fault is put in front of a real JSON store.
 */
function stopsAnswering(store: SessionStore, how: 'fails' | 'hangs'): SessionStore {
  let reads = 0;
  const list: SessionStore['list'] = (options) => {
    if (reads++ === 0) {
      return store.list(options);
    }
    return how === 'fails' ? Promise.reject(new Error('Connection is closed.')) : new Promise(() => undefined);
  };
  return Object.assign(Object.create(store) as SessionStore, { spec: 'redis://watcher:s3cret@127.0.0.1:6390', list });
}

describe('watchStore', { timeout: 30_000 }, () => {
  const fresh = useFreshStore('json');

  for (const how of ['fails', 'hangs'] as const) {
    it(`ends with an 'unavailable' error (exit 5) when the store's reads ${how === 'fails' ? 'fail' : 'hang'}`, async () => {
      const store = await openStore(fresh.spec);
      try {
        const output = new PassThrough();
        let live = false;
        const watching = watchStore(stopsAnswering(store, how), {
          output,
          json: true,
          stop: new AbortController().signal,
          onLive: () => (live = true),
          probeIntervalMs: 50,
          probeTimeoutMs: 200,
        });
        await assert.rejects(watching, (error: unknown) => {
          assert.ok(isMultichatError(error, 'unavailable') && error.exitCode === 5, String(error));
          assert.match(error.message, /^the store redis:\/\/watcher:\*\*\*@127\.0\.0\.1:6390 does not answer: /);
          assert.ok(!error.message.includes('s3cret'));
          return true;
        });
        assert.ok(live, 'it was watching before the store went away');
      } finally {
        await store.close();
      }
    });
  }

  it('prints the changes of its own process too, marked own', async () => {
    const store = await openStore(fresh.spec);
    const output = new PassThrough().setEncoding('utf8');
    const stop = new AbortController();
    let live = false;
    const watching = watchStore(store, { output, json: false, stop: stop.signal, onLive: () => (live = true) });
    await waitFor(() => live, 1_000);
    const summary = await store.create({ title: 'mine' });
    stop.abort();
    await watching;
    await store.close();
    const [at, ...rest] = String(output.read()).trimEnd().split('\t');
    assert.match(at, ISO_UTC);
    assert.deepEqual(rest, ['created', summary.id, 'own']);
    assert.equal(formatChange({ kind: 'reloaded', sessionId: null, external: true, at }, false), `${at}\treloaded\t-\texternal`);
  });
});
