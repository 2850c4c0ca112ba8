import { MultichatError } from '../../core/errors';
import { isRedisSpec, parseRedisSpec } from '../redis/redisSpec';

// The team's Redis as the editor's settings describe it: `multichat.redis.url` (never with a
// password in it), `…namespace`, `…ttlDays`, and the password from the editor's secret storage.
// Turned into one store spec; nothing here is ever shown with the password in it.

export interface RemoteSettings {
  url: string;
  namespace: string;
  ttlDays: number;
  password?: string;
}

const SECONDS_PER_DAY = 86_400;

export function remoteSpecFromSettings(settings: RemoteSettings): string {
  const url = settings.url.trim();
  if (!isRedisSpec(url)) {
    throw setting('multichat.redis.url must start with redis://, rediss://, redis-sentinel:// or redis-cluster://');
  }
  const parsed = parseRedisSpec(url, {});
  if (parsed.password !== undefined) {
    throw setting('multichat.redis.url holds a password: remove it from the URL and use "Multichat: Set Redis Password", which keeps it in the system keychain');
  }
  if (/[?&](prefix|ttl)=/.test(url)) {
    throw setting('set the namespace and expiry in multichat.redis.namespace and multichat.redis.ttlDays, not in the URL');
  }
  const options = [`prefix=${encodeURIComponent(settings.namespace.trim() || 'multichat')}`];
  if (settings.ttlDays > 0) {
    options.push(`ttl=${Math.round(settings.ttlDays * SECONDS_PER_DAY)}`);
  }
  const withPassword = settings.password ? insertPassword(url, settings.password) : url;
  const spec = `${withPassword}${withPassword.includes('?') ? '&' : '?'}${options.join('&')}`;
  // Checked whole (a namespace with odd characters, say); the error quotes the spec redacted.
  parseRedisSpec(spec, {});
  return spec;
}

/** `scheme://[user@]hosts…` → `scheme://[user]:<password>@hosts…`, the password URL-encoded. */
function insertPassword(url: string, password: string): string {
  const match = /^([a-z-]+:\/\/)(?:([^@/?#]*)@)?(.*)$/is.exec(url);
  if (!match) {
    return url;
  }
  const [, scheme, user = '', rest] = match;
  return `${scheme}${user}:${encodeURIComponent(password)}@${rest}`;
}

function setting(message: string): MultichatError {
  return new MultichatError('usage', message);
}
