import { ScriptDefinition } from './writeScripts';

// The store's reads. Flagged no-writes, so they keep working when Redis refuses writes (out of
// memory) and may run on a replica. Expired sessions the writes have not swept yet are left out
// here, by the same rule (a deadline that has passed), so a reader never sees a ghost.

const READ_ONLY = '#!lua flags=no-writes';

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function expired(key, id)
  local deadline = redis.call('ZSCORE', key, id)
  return deadline and tonumber(deadline) < now
end
`;

/**
 * KEYS: summaries, expiry, messages, order; ARGV: session id. Replies nil, or {summary JSON, n,
 * n message ids in order, their n message JSONs (nil where one is missing)}.
 */
const GET = `${READ_ONLY}
${NOW}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw or expired(KEYS[2], ARGV[1]) then return nil end
local ids = redis.call('LRANGE', KEYS[4], 0, -1)
local reply = {raw, #ids}
for i = 1, #ids do reply[#reply + 1] = ids[i] end
for i = 1, #ids, 500 do
  local chunk = redis.call('HMGET', KEYS[3], unpack(ids, i, math.min(i + 499, #ids)))
  for j = 1, math.min(500, #ids - i + 1) do reply[#reply + 1] = chunk[j] end
end
return reply
`;

/**
 * KEYS: summaries, expiry, then messages and order of each session asked; ARGV: each session's id
 * and a position in it (from 0), in turn. Replies {message id, message JSON} for each, false for
 * both where there is none (or the session is gone): the messages of search hits, not their
 * sessions, as many as one bucket holds in one round trip.
 */
const MESSAGES_AT = `${READ_ONLY}
${NOW}
local reply = {}
for i = 1, #ARGV, 2 do
  local id, at = ARGV[i], tonumber(ARGV[i + 1])
  local messageId = false
  if redis.call('HEXISTS', KEYS[1], id) == 1 and not expired(KEYS[2], id) then
    messageId = redis.call('LINDEX', KEYS[i + 3], at) or false
  end
  reply[#reply + 1] = messageId
  reply[#reply + 1] = messageId and (redis.call('HGET', KEYS[i + 2], messageId) or false) or false
end
return reply
`;

/**
 * KEYS: summaries, expiry, changes; ARGV: the bucket's version the caller has listed ('' for none).
 * Replies {expired ids, the version, flat HGETALL of the summaries — left out when the version is
 * the caller's}. Every write of a summary adds a change-feed entry in the same script, so the last
 * entry's id (with the lengths of the summaries and the feed, against a feed begun again) changes
 * whenever a summary does. (A value written by anything else, redis-cli say, is seen once the bucket
 * next changes; verify reads everything.)
 */
const LIST_BUCKET = `${READ_ONLY}
${NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. now)
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)[1]
local version = (last and last[1] or '0-0') .. '/' .. redis.call('HLEN', KEYS[1]) .. '/' .. redis.call('XLEN', KEYS[3])
if version == ARGV[1] then return {expired, version} end
return {expired, version, redis.call('HGETALL', KEYS[1])}
`;

/**
 * KEYS: summaries, recent, expiry; ARGV: how many. The bucket's latest sessions, latest first, as
 * {id, summary, id, summary…}, skipping expired ones and recent entries without a summary.
 */
const FIRST_PAGE = `${READ_ONLY}
${NOW}
local wanted = tonumber(ARGV[1])
local found, offset = {}, 0
while #found < wanted * 2 do
  local members = redis.call('ZREVRANGEBYLEX', KEYS[2], '+', '-', 'LIMIT', offset, wanted)
  if #members == 0 then break end
  offset = offset + #members
  for _, member in ipairs(members) do
    local id = string.match(member, '\\t(.*)$')
    local raw = id and redis.call('HGET', KEYS[1], id)
    if raw and not expired(KEYS[3], id) and #found < wanted * 2 then
      found[#found + 1] = id
      found[#found + 1] = raw
    end
  end
end
return found
`;

/**
 * KEYS: changes, expiry; ARGV: the last entry id seen, how many at most. Replies {entries after
 * it, the oldest entry still in the feed, how many entries the feed was ever given (it falls when
 * the feed was deleted and began again), the ids expired but not yet swept}.
 */
const CHANGES_SINCE = `${READ_ONLY}
${NOW}
local added = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  for i = 1, #info, 2 do
    if info[i] == 'entries-added' then added = info[i + 1] end
  end
end
return {
  redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2]),
  redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1),
  added,
  redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. now),
}
`;

export const READ_SCRIPTS = {
  mcGet: { lua: GET, numberOfKeys: 4 },
  mcMessagesAt: { lua: MESSAGES_AT },
  mcListBucket: { lua: LIST_BUCKET, numberOfKeys: 3 },
  mcFirstPage: { lua: FIRST_PAGE, numberOfKeys: 3 },
  mcChangesSince: { lua: CHANGES_SINCE, numberOfKeys: 2 },
} satisfies Record<string, ScriptDefinition>;
