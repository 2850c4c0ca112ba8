import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sessionKeys } from '../../src/stores/redis/redisKeys';
import { CliResult, cli, cliOk } from '../helpers/cli';
import { RedisServer, redisCli, startRedis } from '../helpers/redisServers';
import { makeTempDir } from '../helpers/tempDir';
import { freshPrefix } from './redisFixtures';

// `multichat verify` on Redis through the CLI: exit 1 naming each problem, --repair and a clean
// second run; warnings (exit 0, on stderr) when the server runs without AOF, and when a
// least-privilege user may not read its settings — which does not stop that user verifying and
// repairing. No password ever shows.

interface Target {
  server: RedisServer;
  spec(prefix: string): string;
}

describe('multichat verify on Redis', { timeout: 60_000 }, () => {
  const password = 'pw-Verify-s3cret';
  let durable: RedisServer;
  let memoryOnly: RedisServer;
  let fsyncEverySecond: RedisServer;
  let guarded: RedisServer;
  const cache = makeTempDir('multichat-cache-');

  before(async () => {
    [durable, memoryOnly, fsyncEverySecond, guarded] = await Promise.all([
      startRedis(), startRedis({ aof: false }), startRedis({ args: ['--appendfsync', 'everysec'] }), startRedis({ password }),
    ]);
  });
  after(async () => {
    await Promise.all([durable, memoryOnly, fsyncEverySecond, guarded].map((server) => server?.stop()));
    cache.cleanup();
  });

  const run = (args: string[], spec: string): CliResult => cli(args, { store: spec, env: { XDG_CACHE_HOME: cache.path } });

  /** A session with two messages whose order list names a third that does not exist. */
  function damagedSession(target: Target, prefix: string, auth: string[] = []): Promise<string> {
    const id = cliOk(['new', '--title', 'damaged'], { store: target.spec(prefix), env: { XDG_CACHE_HOME: cache.path } }).trim();
    cliOk(['append', id, '--jsonl'], { store: target.spec(prefix), input: '{"role":"user","content":"one"}\n{"role":"assistant","content":"two"}\n', env: { XDG_CACHE_HOME: cache.path } });
    return redisCli(['-p', String(target.server.port), ...auth, 'RPUSH', sessionKeys(prefix, id).order, 'ghost']).then(() => id);
  }

  it('exits 1 naming the problem, repairs it with --repair, then exits 0', async () => {
    const target: Target = { server: durable, spec: (prefix) => `redis://127.0.0.1:${durable.port}?prefix=${prefix}` };
    const prefix = freshPrefix();
    const id = await damagedSession(target, prefix);
    const found = run(['verify'], target.spec(prefix));
    assert.equal(found.code, 1);
    assert.match(found.stdout, new RegExp(`^redis ${prefix}:\\{${prefix}:b\\d\\d\\}:s:${id}:order: names 1 message\\(s\\) that .* does not hold: ghost$`, 'm'));
    assert.equal(found.stderr, '', 'no warnings: the server runs with AOF and noeviction');
    const repaired = run(['verify', '--repair'], target.spec(prefix));
    assert.equal(repaired.code, 0, repaired.stdout);
    assert.match(repaired.stdout, new RegExp(`^repaired: session ${id}: dropped 1 missing or repeated id\\(s\\) from its order`, 'm'));
    const again = run(['verify', '--json'], target.spec(prefix));
    assert.equal(again.code, 0);
    assert.deepEqual(JSON.parse(again.stdout), { healthy: true, problems: [], repairs: [], warnings: [] });
  });

  it('warns (and stays healthy) when Redis runs with AOF off', () => {
    const spec = `redis://127.0.0.1:${memoryOnly.port}?prefix=${freshPrefix()}`;
    cliOk(['new', '--title', 'kept in memory only'], { store: spec, env: { XDG_CACHE_HOME: cache.path } });
    const text = run(['verify'], spec);
    assert.equal(text.code, 0);
    assert.equal(text.stdout, '');
    assert.match(text.stderr, new RegExp(`^multichat: warning: redis 127\\.0\\.0\\.1:${memoryOnly.port}: AOF is off \\(appendonly no\\).*set appendonly yes$`, 'm'));
    const json = JSON.parse(run(['verify', '--json'], spec).stdout) as { healthy: boolean; warnings: { where: string; what: string }[] };
    assert.equal(json.healthy, true);
    assert.equal(json.warnings.length, 1);
    assert.match(json.warnings[0].what, /AOF is off/);
  });

  it('warns when Redis fsyncs its AOF only every second', () => {
    const spec = `redis://127.0.0.1:${fsyncEverySecond.port}?prefix=${freshPrefix()}`;
    const text = run(['verify'], spec);
    assert.equal(text.code, 0);
    assert.match(text.stderr, /^multichat: warning: redis 127\.0\.0\.1:\d+: appendfsync everysec: .*use appendfsync always/m);
  });

  it('lets a least-privilege user verify and repair, saying the server settings could not be checked, never showing a password', async () => {
    const prefix = freshPrefix();
    const userPassword = 'pw-User:with/odd@chars';
    const admin = ['-a', password, '--no-auth-warning'];
    await redisCli(['-p', String(guarded.port), ...admin, 'ACL', 'SETUSER', 'teammate', 'on', `>${userPassword}`, `~${prefix}:*`, `&${prefix}:*`, '+@all', '-@dangerous']);
    const target: Target = { server: guarded, spec: (p) => `redis://teammate:${encodeURIComponent(userPassword)}@127.0.0.1:${guarded.port}?prefix=${p}` };
    const id = await damagedSession(target, prefix, admin);
    const found = run(['verify'], target.spec(prefix));
    assert.equal(found.code, 1, found.stderr);
    assert.match(found.stdout, new RegExp(`:s:${id}:order: names 1 message`));
    assert.match(found.stderr, /^multichat: warning: redis 127\.0\.0\.1:\d+: could not check that Redis runs with appendonly yes and maxmemory-policy noeviction \(CONFIG GET was refused: NOPERM/m);
    const repaired = run(['verify', '--repair'], target.spec(prefix));
    assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
    assert.equal(run(['verify'], target.spec(prefix)).code, 0);
    for (const output of [found, repaired]) {
      for (const secret of [userPassword, encodeURIComponent(userPassword), password]) {
        assert.ok(!output.stdout.includes(secret) && !output.stderr.includes(secret), 'no password in any output');
      }
    }
  });
});
