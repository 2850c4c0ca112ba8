import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MultichatError } from '../src/core/errors';
import { REDIS_PASSWORD_ENV, parseRedisSpec } from '../src/stores/redis/redisSpec';
import { redactStoreSpec } from '../src/stores/specRedaction';
import { parseStoreSpec } from '../src/stores/storeSpec';

/** Redis store specs: every topology and option, and bad specs rejected with a message that never shows the password. */
const SECRET = 'S3cr/t@pw:x';
const encoded = encodeURIComponent(SECRET);

function rejection(run: () => unknown): MultichatError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof MultichatError, `not a MultichatError: ${String(error)}`);
    assert.equal(error.code, 'usage');
    return error;
  }
  assert.fail('the spec was accepted');
}

describe('Redis store specs', () => {
  it('reads a standalone URL with credentials, database and every option', () => {
    const spec = parseRedisSpec(`redis://alice:${encoded}@cache.example:6380/2?prefix=team.chats&ttl=86400&connectTimeout=5000`, {});
    assert.deepEqual(spec, {
      topology: 'standalone', tls: false, endpoints: [{ host: 'cache.example', port: 6380 }], username: 'alice', password: SECRET,
      db: 2, prefix: 'team.chats', ttlSeconds: 86400, caFile: undefined, connectTimeoutMs: 5000,
    });
  });

  it('defaults: port 6379, database 0, prefix multichat; rediss is TLS with its CA file', () => {
    assert.deepEqual(parseRedisSpec('redis://localhost', {}).endpoints, [{ host: 'localhost', port: 6379 }]);
    assert.equal(parseRedisSpec('redis://localhost', {}).prefix, 'multichat');
    const tls = parseRedisSpec('rediss://[::1]:6390?ca=/etc/ssl/team-ca.pem', {});
    assert.deepEqual([tls.tls, tls.endpoints, tls.caFile], [true, [{ host: '::1', port: 6390 }], '/etc/ssl/team-ca.pem']);
  });

  it('reads sentinel and cluster URLs with several hosts', () => {
    const sentinel = parseRedisSpec('redis-sentinel://a:26379,b:26380,c?master=chats', {});
    assert.deepEqual([sentinel.topology, sentinel.master, sentinel.endpoints.map((each) => each.port)], ['sentinel', 'chats', [26379, 26380, 26379]]);
    const cluster = parseRedisSpec('redis-cluster://n1:7000,n2:7001', {});
    assert.deepEqual([cluster.topology, cluster.endpoints.length, cluster.db], ['cluster', 2, 0]);
  });

  it(`takes ${REDIS_PASSWORD_ENV} when the URL has no password, and the URL's own password first`, () => {
    assert.equal(parseRedisSpec('redis://localhost', { [REDIS_PASSWORD_ENV]: SECRET }).password, SECRET);
    assert.equal(parseRedisSpec('redis://bob:own@localhost', { [REDIS_PASSWORD_ENV]: SECRET }).password, 'own');
  });

  it('rejects bad specs, each with a message that says what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['redis-sentinel://a:26379', /needs \?master=<name>/],
      ['redis://localhost?master=x', /only for redis-sentinel/],
      ['redis://a:1,b:2', /several hosts/],
      ['redis-cluster://a:7000/3', /only database 0/],
      ['redis://localhost:70000', /not between 1 and 65535/],
      ['redis://localhost/x', /not a number from 0 to 99/],
      ['redis://localhost?ttl=-5', /ttl must be a whole number above 0/],
      ['redis://localhost?prefix={tag}', /prefix must be/],
      ['redis://localhost?colour=blue', /unknown option "colour"/],
      ['redis://localhost?connectTimeout=soon', /connectTimeout must be/],
    ];
    for (const [spec, expected] of cases) {
      assert.match(rejection(() => parseRedisSpec(spec, {})).message, expected, spec);
    }
  });

  it('never shows a password in an error, however the spec is broken', () => {
    const broken = [
      `redis://alice:${SECRET}@host:1?ttl=0`, // raw, unencoded: / @ : inside
      `redis://alice:${encoded}@host:99999`,
      `redis://alice:%E0%A4%A@host`, // broken URL encoding
      `redis-cluster//alice:${SECRET}@host`, // a typo in the scheme
      `redis-cluster://alice:${SECRET}@host:1/2`,
    ];
    for (const spec of broken) {
      const message = rejection(() => parseStoreSpecOrRedis(spec)).message;
      for (const piece of [SECRET, encoded, 'S3cr', '%E0%A4%A']) {
        assert.ok(!message.includes(piece), `"${message}" shows part of the password`);
      }
    }
  });

  it('redacts passwords in specs, and leaves specs without one as they are', () => {
    assert.equal(redactStoreSpec('redis://alice:pw@host:1/0'), 'redis://alice:***@host:1/0');
    assert.equal(redactStoreSpec(`redis://:${SECRET}@host`), 'redis://:***@host');
    assert.equal(redactStoreSpec('redis://alice@host'), 'redis://alice@host');
    assert.equal(redactStoreSpec('redis://host:6379?password=pw&prefix=x'), 'redis://host:6379?password=***&prefix=x');
    assert.equal(redactStoreSpec('json:/home/a@b/chats'), 'json:/home/a@b/chats');
  });

  it('the local store parser says plainly that a Redis namespace has no folder or file, for every Redis scheme', () => {
    for (const spec of ['redis://h', 'rediss://h', 'redis-sentinel://h?master=m', 'redis-cluster://h']) {
      assert.match(rejection(() => parseStoreSpec(spec)).message, /a Redis namespace is not a local store/);
    }
    assert.doesNotMatch(rejection(() => parseStoreSpec(`redis://u:${SECRET}@h`)).message, new RegExp(SECRET));
  });
});

/** What the CLI does with a spec: Redis specs go to parseRedisSpec, the rest to the store parser. */
function parseStoreSpecOrRedis(spec: string): unknown {
  return /^redis/.test(spec) && spec.includes('://') ? parseRedisSpec(spec, {}) : parseStoreSpec(spec);
}
