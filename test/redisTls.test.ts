import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { RedisConnection, connectRedis } from '../src/stores/redis/redisConnection';
import { parseRedisSpec } from '../src/stores/redis/redisSpec';
import { TEST_PASSWORD, assertPlainFailure, connectFailure, withPassword } from './helpers/redisFailureChecks';
import { RedisServer, startRedis } from './helpers/redisServers';
import { TestCertificates, makeTestCertificates, startTlsRedis } from './helpers/redisTls';

/**
 * rediss:// to the tests' own TLS-only redis-server, with a certificate authority and certificates made by
 * openssl for this run: it connects when the CA is given (ca= or NODE_EXTRA_CA_CERTS), and every TLS
 * mistake is named plainly — an untrusted certificate, one for another name, TLS against a plain port and
 * plain text against a TLS port.
 */
describe('Redis connection over TLS', { timeout: 60_000 }, () => {
  let certificates: TestCertificates;
  let tlsServer: RedisServer;
  let wrongNameServer: RedisServer;
  let plainServer: RedisServer;
  const connections: RedisConnection[] = [];
  const tlsUrl = (port: number, query = ''): string => `rediss://:${withPassword()}@127.0.0.1:${port}${query}`;

  before(async () => {
    certificates = await makeTestCertificates();
    [tlsServer, wrongNameServer, plainServer] = await Promise.all([
      startTlsRedis(certificates, { password: TEST_PASSWORD }),
      startTlsRedis(certificates, { password: TEST_PASSWORD, wrongName: true }),
      startRedis({ password: TEST_PASSWORD, aof: false }),
    ]);
  });

  after(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await Promise.all([tlsServer, wrongNameServer, plainServer].map((server) => server?.stop()));
    certificates?.remove();
  });

  it('connects with ca=<PEM file>, and subscribes over TLS too', async () => {
    const connection = await connectRedis(parseRedisSpec(tlsUrl(tlsServer.port, `?ca=${encodeURIComponent(certificates.caFile)}`), {}));
    connections.push(connection);
    await connection.client.set('multichat:tls', 'yes');
    assert.equal(await connection.client.get('multichat:tls'), 'yes');
    const subscriber = await connection.subscriber();
    assert.equal(await subscriber.ssubscribe('multichat:changes'), 1);
  });

  it("trusts a CA given in NODE_EXTRA_CA_CERTS (read by Node at start, so in a process of its own)", async () => {
    const script = [
      "const { connectRedis } = require('./src/stores/redis/redisConnection');",
      "const { parseRedisSpec } = require('./src/stores/redis/redisSpec');",
      `connectRedis(parseRedisSpec(${JSON.stringify(tlsUrl(tlsServer.port))}, {}))`,
      "  .then(async (c) => { console.log(await c.client.ping()); await c.close(); })",
      '  .catch((e) => { console.log(e.message); process.exitCode = 5; });',
    ].join('\n');
    const output = await new Promise<string>((resolve, reject) => {
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: certificates.caFile };
      execFile(process.execPath, ['--import', 'tsx', '-e', script], { env, timeout: 30_000, killSignal: 'SIGKILL', cwd: process.cwd() }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout.trim()),
      );
    });
    assert.equal(output, 'PONG');
  });

  it('says to pass ca= when the certificate is signed by an authority the machine does not trust', async () => {
    const { error, ms } = await connectFailure(tlsUrl(tlsServer.port));
    assertPlainFailure(
      error,
      new RegExp(`the TLS certificate of Redis at 127\\.0\\.0\\.1:${tlsServer.port} is not signed by an authority this machine trusts \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\\): add ca=<PEM file>`),
    );
    assert.ok(ms < 3_000, `${ms} ms`);
  });

  it('says the certificate is for another name (ERR_TLS_CERT_ALTNAME_INVALID)', async () => {
    const { error } = await connectFailure(tlsUrl(wrongNameServer.port, `?ca=${encodeURIComponent(certificates.caFile)}`));
    assertPlainFailure(error, /is not made out to that name \(ERR_TLS_CERT_ALTNAME_INVALID: IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it('says a plain server does not speak TLS, or names the timeout with the TLS question, when rediss:// meets a plain port', async () => {
    const { error, ms } = await connectFailure(tlsUrl(plainServer.port, `?ca=${encodeURIComponent(certificates.caFile)}&connectTimeout=1000`));
    assertPlainFailure(error, new RegExp(`127\\.0\\.0\\.1:${plainServer.port} (does not speak TLS|did not answer within 1 s \\(ETIMEDOUT\\): .*does the server speak TLS\\?)`));
    assert.ok(ms < 4_000, `${ms} ms`);
  });

  it('says the server dropped the connection, and to try rediss://, when redis:// meets a TLS port', async () => {
    const { error, ms } = await connectFailure(`redis://:${withPassword()}@127.0.0.1:${tlsServer.port}?connectTimeout=1000`);
    assertPlainFailure(error, new RegExp(`Redis at 127\\.0\\.0\\.1:${tlsServer.port} (dropped the connection \\(ECONNRESET\\)|was lost|was not ready).*rediss://`));
    assert.ok(ms < 4_000, `${ms} ms`);
  });

  it('says which CA file it could not read', async () => {
    const { error } = await connectFailure(tlsUrl(tlsServer.port, '?ca=/nonexistent/team-ca.pem'));
    assertPlainFailure(error, /could not read the TLS CA file \/nonexistent\/team-ca\.pem \(ca=\): it does not exist \(ENOENT\)/);
  });
});
