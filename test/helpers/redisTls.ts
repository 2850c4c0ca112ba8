import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServer, startRedis } from './redisServers';

// TLS for the tests' own Redis: a certificate authority made by `openssl` in a temp folder, a server
// certificate it signs for 127.0.0.1 (an IP subjectAltName: a name alone never matches an address), and
// one it signs for another name, for the "certificate not made out to this host" case.

export interface TestCertificates {
  dir: string;
  caFile: string;
  /** Signed by caFile for IP 127.0.0.1. */
  server: { certFile: string; keyFile: string };
  /** Signed by caFile for DNS:elsewhere.example only. */
  wrongName: { certFile: string; keyFile: string };
  remove(): void;
}

export function opensslInstalled(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: 15_000, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error) {
        reject(new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${error.message} ${stderr}`.trim()));
      } else {
        resolve();
      }
    });
  });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA and two server certificates it signs; remove() deletes them. */
export async function makeTestCertificates(): Promise<TestCertificates> {
  if (!opensslInstalled()) {
    throw new Error('the TLS tests make certificates with openssl, which is not installed: apt-get install openssl (.ci/run does)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'multichat-redis-tls-'));
  const file = (name: string): string => join(dir, name);
  try {
    await openssl([
      'req', '-x509', ...EC_KEY, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=multichat test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const sign = async (name: string, altName: string): Promise<{ certFile: string; keyFile: string }> => {
      writeFileSync(file(`${name}.ext`), `subjectAltName=${altName}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
      await openssl(['req', ...EC_KEY, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${name}`]);
      await openssl([
        'x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
        '-out', file(`${name}.pem`), '-days', '2', '-extfile', file(`${name}.ext`),
      ]);
      return { certFile: file(`${name}.pem`), keyFile: file(`${name}.key`) };
    };
    const server = await sign('server', 'IP:127.0.0.1');
    const wrongName = await sign('elsewhere', 'DNS:elsewhere.example');
    return { dir, caFile: file('ca.pem'), server, wrongName, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A redis-server that speaks only TLS, on a free port, with one of the certificates. */
export function startTlsRedis(certificates: TestCertificates, options: { password?: string; wrongName?: boolean } = {}): Promise<RedisServer> {
  const pair = options.wrongName ? certificates.wrongName : certificates.server;
  return startRedis({ password: options.password, aof: false, tls: { ...pair, caFile: certificates.caFile } });
}
