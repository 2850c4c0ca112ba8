import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { describe, it } from 'node:test';
import { CLI_PATH } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';

// The Redis part of `multichat bench`, run for real on a tiny store (50 sessions × 3 messages)
// against the servers it starts itself, so that the bench cannot rot unnoticed: every figure is
// there and sane, the JSON backend's figures of the same run give the ratios, and the servers
// are gone afterwards.

const REDIS_FIGURES = [
  'fillSeconds', 'appendMedianMs', 'appendP95Ms', 'appendLongSessionMedianMs', 'appendLongOverShort',
  'listMedianMs', 'listP95Ms', 'listFirstPageMedianMs', 'openListMedianMs', 'listedSessions',
  'searchFirstBuildMs', 'searchCommonMedianMs', 'searchMediumMedianMs', 'searchRareMedianMs',
  'indexBuildSeconds', 'indexMB', 'textMB', 'indexShareOfText', 'indexUpdatePerMessageMs',
  'coldListRunMedianMs', 'coldSearchCommonRunMedianMs', 'coldSearchMediumRunMedianMs', 'coldSearchRareRunMedianMs',
  'coldListRunOverJson', 'coldSearchCommonRunOverJson', 'coldSearchMediumRunOverJson', 'coldSearchRareRunOverJson',
  'jsonColdListRunMedianMs', 'jsonColdSearchCommonRunMedianMs', 'jsonColdSearchMediumRunMedianMs', 'jsonColdSearchRareRunMedianMs',
  'liveP50Ms', 'liveP99Ms', 'liveMaxMs', 'liveEvents', 'liveMissed',
  'searchFreshnessMedianMs', 'searchFreshnessMaxMs', 'searchFreshnessMissed',
];

interface BenchOutput {
  sessions: number;
  messages: number;
  notes: Record<string, string>;
  results: Record<string, Record<string, number>>;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI in a child process, killed (and the test failed) if it runs past `timeoutMs`. */
function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, MULTICHAT_STORE: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`multichat ${args.join(' ')} ran past ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(2_000, () => socket.destroy());
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
    socket.once('close', () => resolve(true));
  });
}

/** Whether the process still runs: gone, or a zombie (killed, not reaped yet), counts as stopped. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Killed processes take a moment to go: waits up to two seconds. */
async function stillRunning(pid: number): Promise<boolean> {
  for (const deadline = Date.now() + 2_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (!isRunning(pid)) {
      return false;
    }
  }
  return isRunning(pid);
}

function checkFigures(topology: string, figures: Record<string, number>): void {
  for (const name of REDIS_FIGURES) {
    assert.ok(Number.isFinite(figures[name]) && figures[name] >= 0, `${topology} ${name}: ${figures[name]}`);
  }
  assert.equal(figures.listedSessions, 52, 'the 50 sessions and the two the append figures use');
  assert.deepEqual([figures.liveEvents, figures.liveMissed, figures.searchFreshnessMissed], [200, 0, 0]);
  assert.ok(figures.liveP50Ms <= figures.liveP99Ms && figures.liveP99Ms <= figures.liveMaxMs, `${topology} live percentiles in order`);
  assert.ok(figures.appendMedianMs <= figures.appendP95Ms && figures.searchFreshnessMedianMs <= figures.searchFreshnessMaxMs);
  assert.ok(figures.textMB > 0, `${topology}: the word index was built from nothing, over the sessions' text`);
  assert.ok(figures.searchFirstBuildMs > 0 && figures.coldListRunMedianMs > figures.openListMedianMs, `${topology}: a whole run takes longer than its open + list`);
  const ratio = figures.coldListRunMedianMs / figures.jsonColdListRunMedianMs;
  assert.ok(Math.abs(figures.coldListRunOverJson - ratio) < 0.02, `${topology}: the ratio to the JSON runs beside it (${figures.coldListRunOverJson} for ${ratio})`);
}

/** Every port and pid the notes name is gone: the bench stopped what it started. */
async function checkServersStopped(notes: string[]): Promise<void> {
  const servers = notes.flatMap((note) => [...note.matchAll(/ on (\S.*?) \(pids? ([\d, ]+)\)/g)]);
  assert.equal(servers.length, notes.length);
  for (const [, address, pids] of servers) {
    for (const port of address.split(', ').map((endpoint) => Number(endpoint.split(':')[1]))) {
      assert.ok(await refusesConnections(port), `port ${port} still answers after the bench`);
    }
    for (const pid of pids.split(', ').map(Number)) {
      assert.ok(!(await stillRunning(pid)), `redis-server ${pid} still runs after the bench`);
    }
  }
}

describe('multichat bench on Redis', { timeout: 90_000 }, () => {
  it('measures standalone and cluster beside JSON, on servers it starts and stops itself', async () => {
    const run = await runCli(['bench', '--sessions', '50', '--messages', '3', '--cold-runs', '1', '--only', 'json,redis,redis-cluster', '--json'], {}, 80_000);
    assert.equal(run.code, 0, run.stderr);
    const output = JSON.parse(run.stdout) as BenchOutput;
    assert.deepEqual([output.sessions, output.messages], [50, 3]);
    assert.deepEqual(Object.keys(output.results), ['json', 'redis', 'redis-cluster']);
    assert.match(output.notes.redis, /^redis-server \S+ on 127\.0\.0\.1:\d+ \(pid \d+\), --save '' --appendonly yes --appendfsync everysec$/);
    assert.match(output.notes['redis-cluster'], /^a 3-master cluster of redis-server \S+ on (127\.0\.0\.1:\d+, ){2}127\.0\.0\.1:\d+ \(pids \d+, \d+, \d+\)/);
    for (const name of ['coldListRunMedianMs', 'coldSearchCommonRunMedianMs', 'coldSearchMediumRunMedianMs', 'coldSearchRareRunMedianMs']) {
      assert.ok(output.results.json[name] > 0, `json ${name}: ${output.results.json[name]}`);
    }
    for (const topology of ['redis', 'redis-cluster']) {
      checkFigures(topology, output.results[topology]);
    }
    await checkServersStopped(Object.values(output.notes));
  });

  it('says plainly that Redis is skipped when redis-server is not installed, and goes on', async () => {
    // An empty folder as the PATH: no redis-server to be found (the bench runs node by its full path).
    const empty = makeTempDir();
    const run = await runCli(['bench', '--sessions', '5', '--messages', '1', '--cold-runs', '1', '--only', 'redis,redis-cluster'], { PATH: empty.path }, 30_000).finally(empty.cleanup);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'redis: skipped — redis-server is not installed (apt-get install redis-server)\n');
    assert.match(run.stderr, /^redis: skipped — redis-server is not installed \(apt-get install redis-server\)$/m);
  });

  it('stops the servers it started, and leaves no files behind, when it is told to stop midway (SIGTERM)', async () => {
    const scratch = makeTempDir();
    const env = { ...process.env, TMPDIR: scratch.path };
    const child = spawn(process.execPath, [CLI_PATH, 'bench', '--sessions', '20000', '--messages', '1', '--only', 'redis'], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    const started = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no server was started within 20 s: ${stderr}`)), 20_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const line = /^redis: redis-server .*$/m.exec(stderr);
        if (line && stderr.includes('filling')) {
          clearTimeout(timer);
          resolve(line[0]);
        }
      });
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    let note: string;
    try {
      note = await started;
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 143);
    await checkServersStopped([note]);
    assert.deepEqual(readdirSync(scratch.path), [], 'neither the stores nor the servers\' folders are left');
    scratch.cleanup();
  });
});
