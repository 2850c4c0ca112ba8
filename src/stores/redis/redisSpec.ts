import { invalidStoreSpec } from '../specRedaction';

// Redis store specs: `redis://[user[:password]@]host[:port][/db][?options]` (`rediss://` for TLS),
// `redis-sentinel://[auth@]host:port[,host:port…]?master=<name>[&options]` and
// `redis-cluster://[auth@]host:port[,host:port…][?options]`. Options: `prefix` (the namespace every key
// and channel starts with), `ttl` (seconds), `ca` (a PEM file for TLS), `connectTimeout` (ms). A URL
// without a password takes MULTICHAT_REDIS_PASSWORD, so a password need not sit in shell history.
// A password never appears in an error: messages quote the spec redacted (specRedaction.ts).

export type RedisTopology = 'standalone' | 'sentinel' | 'cluster';

export interface RedisEndpoint {
  host: string;
  port: number;
}

export interface RedisSpec {
  topology: RedisTopology;
  tls: boolean;
  endpoints: RedisEndpoint[];
  username?: string;
  password?: string;
  /** Standalone and sentinel only: the database number. */
  db: number;
  /** Sentinel only: the monitored master's name. */
  master?: string;
  prefix: string;
  ttlSeconds?: number;
  caFile?: string;
  connectTimeoutMs?: number;
}

export const DEFAULT_REDIS_PREFIX = 'multichat';
export const REDIS_PASSWORD_ENV = 'MULTICHAT_REDIS_PASSWORD';
const DEFAULT_PORTS: Record<RedisTopology, number> = { standalone: 6379, sentinel: 26379, cluster: 6379 };
const SCHEMES: Record<string, { topology: RedisTopology; tls: boolean }> = {
  redis: { topology: 'standalone', tls: false },
  rediss: { topology: 'standalone', tls: true },
  'redis-sentinel': { topology: 'sentinel', tls: false },
  'redis-cluster': { topology: 'cluster', tls: false },
};
const OPTIONS = ['prefix', 'ttl', 'ca', 'connectTimeout', 'master'];

export function isRedisSpec(spec: string): boolean {
  return /^(redis|rediss|redis-sentinel|redis-cluster):/i.test(spec.trim());
}

export function parseRedisSpec(spec: string, env: NodeJS.ProcessEnv = process.env): RedisSpec {
  const parts = splitSpec(spec.trim());
  const scheme = parts && SCHEMES[parts.scheme.toLowerCase()];
  if (!parts || !scheme) {
    throw invalidStoreSpec(spec, 'expected redis://, rediss://, redis-sentinel:// or redis-cluster://');
  }
  const { auth, hosts, path, query } = parts;
  const options = parseOptions(spec, query ?? '');
  const credentials = parseAuth(spec, auth);
  const parsed: RedisSpec = {
    ...scheme,
    ...credentials,
    endpoints: parseEndpoints(spec, hosts, scheme.topology),
    db: parseDb(spec, path, scheme.topology),
    prefix: parsePrefix(spec, options.get('prefix')),
    ttlSeconds: parsePositive(spec, 'ttl', options.get('ttl')),
    caFile: options.get('ca') || undefined,
    connectTimeoutMs: parsePositive(spec, 'connectTimeout', options.get('connectTimeout')),
  };
  if (parsed.password === undefined && env[REDIS_PASSWORD_ENV]) {
    parsed.password = env[REDIS_PASSWORD_ENV];
  }
  return withMaster(spec, parsed, options.get('master'));
}

/**
 * scheme://[auth@]hosts[/path][?query]. The authority ends at the LAST `@` before the query, so a raw `/`,
 * `@` or `:` in a password never spills into the hosts (which error messages may quote).
 */
function splitSpec(spec: string): { scheme: string; auth?: string; hosts: string; path?: string; query?: string } | undefined {
  const match = /^([a-z-]+):\/\/([^?#]*)(?:\?([^#]*))?$/i.exec(spec);
  if (!match) {
    return undefined;
  }
  const [, scheme, beforeQuery, query] = match;
  const at = beforeQuery.lastIndexOf('@');
  const hostAndPath = beforeQuery.slice(at + 1);
  const slash = hostAndPath.indexOf('/');
  return {
    scheme,
    auth: at >= 0 ? beforeQuery.slice(0, at) : undefined,
    hosts: slash >= 0 ? hostAndPath.slice(0, slash) : hostAndPath,
    path: slash >= 0 ? hostAndPath.slice(slash + 1) : undefined,
    query,
  };
}

function withMaster(spec: string, parsed: RedisSpec, master: string | undefined): RedisSpec {
  if (parsed.topology === 'sentinel') {
    if (!master) {
      throw invalidStoreSpec(spec, 'a redis-sentinel:// store needs ?master=<name>');
    }
    return { ...parsed, master };
  }
  if (master !== undefined) {
    throw invalidStoreSpec(spec, 'master= is only for redis-sentinel://');
  }
  return parsed;
}

function parseOptions(spec: string, query: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) {
    if (!OPTIONS.includes(name)) {
      throw invalidStoreSpec(spec, `unknown option "${name}" (known: ${OPTIONS.join(', ')})`);
    }
    options.set(name, value);
  }
  return options;
}

function parseAuth(spec: string, auth: string | undefined): Pick<RedisSpec, 'username' | 'password'> {
  if (auth === undefined) {
    return {};
  }
  const colon = auth.indexOf(':');
  const [user, password] = colon < 0 ? [auth, undefined] : [auth.slice(0, colon), auth.slice(colon + 1)];
  try {
    return { username: user ? decodeURIComponent(user) : undefined, password: password === undefined ? undefined : decodeURIComponent(password) };
  } catch {
    // The message must not repeat what was typed: it may be the password.
    throw invalidStoreSpec(spec, 'the user or password is not valid URL encoding (encode / @ : % as %2F %40 %3A %25)');
  }
}

function parseEndpoints(spec: string, hosts: string, topology: RedisTopology): RedisEndpoint[] {
  const parseEndpoint = (entry: string): RedisEndpoint => {
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(entry);
    if (!match) {
      throw invalidStoreSpec(spec, `"${entry}" is not host or host:port`);
    }
    const port = match[2] === undefined ? DEFAULT_PORTS[topology] : Number(match[2]);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw invalidStoreSpec(spec, `port ${match[2]} is not between 1 and 65535`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  };
  const endpoints = hosts.split(',').map((entry) => parseEndpoint(entry.trim()));
  if (topology === 'standalone' && endpoints.length > 1) {
    throw invalidStoreSpec(spec, 'several hosts are for redis-sentinel:// or redis-cluster://');
  }
  return endpoints;
}

function parseDb(spec: string, path: string | undefined, topology: RedisTopology): number {
  if (path === undefined || path === '') {
    return 0;
  }
  if (topology === 'cluster') {
    throw invalidStoreSpec(spec, 'a cluster has only database 0: drop the /<db>');
  }
  if (!/^\d{1,2}$/.test(path)) {
    throw invalidStoreSpec(spec, `the database "${path}" is not a number from 0 to 99`);
  }
  return Number(path);
}

function parsePrefix(spec: string, prefix: string | undefined): string {
  if (prefix === undefined) {
    return DEFAULT_REDIS_PREFIX;
  }
  // Braces would change which cluster slot a key hashes to; spaces and colons-only prefixes confuse tools.
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix) || /^:+$/.test(prefix)) {
    throw invalidStoreSpec(spec, 'prefix must be 1-64 of A-Z a-z 0-9 _ . : -');
  }
  return prefix;
}

function parsePositive(spec: string, name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw invalidStoreSpec(spec, `${name} must be a whole number above 0, not "${value.slice(0, 20)}"`);
  }
  return number;
}
