import { LUA_COMMON } from './luaCommon';
import { ScriptDefinition } from './writeScripts';

// The scripts of `verify` and `verify --repair`. The inspections are read-only (they work when
// Redis is out of memory) and never fail on a key of the wrong type: they say what type each key
// is and read only those of the right one. The repairs never delete what they take away: a key is
// renamed to a quarantine key of its bucket (same hash tag, same slot) and loses any expiry, a
// field or stream entry is copied into one, and the bucket's quarantine log (a hash, see
// redisKeys.ts quarantineKey) records where each came from and why. Each repair is guarded: it
// acts only if what verify read is still there unchanged (sha1 of the value, or the key's type),
// so a client writing meanwhile loses nothing.

const READ_ONLY = '#!lua flags=no-writes';

/** A flat HGETALL as field, value, sha1(value) triples: the sha1 guards a later move of that value. */
const HASH_TRIPLES = `
local function triples(key)
  local flat, out = redis.call('HGETALL', key), {}
  for i = 1, #flat, 2 do
    out[#out + 1] = flat[i]
    out[#out + 1] = flat[i + 1]
    out[#out + 1] = redis.sha1hex(flat[i + 1])
  end
  return out
end
`;

/**
 * KEYS: summaries, recent, expiry, changes, quarantine log. Replies {the keys' types, the server's
 * time (ms), the summaries as triples, recent WITHSCORES, expiry WITHSCORES}.
 */
const INSPECT_BUCKET = `${READ_ONLY}
${HASH_TRIPLES}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local types = {}
for i = 1, #KEYS do types[i] = redis.call('TYPE', KEYS[i]).ok end
local summaries = types[1] == 'hash' and triples(KEYS[1]) or {}
local recent = types[2] == 'zset' and redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES') or {}
local expiry = types[3] == 'zset' and redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES') or {}
return {types, now, summaries, recent, expiry}
`;

/**
 * KEYS: summaries, messages, order, creation; ARGV: session id. Replies {the types of messages,
 * order and creation, the summary (nil for none), its sha1, the order, the messages as triples,
 * sha1 of the order joined by newlines}.
 */
const INSPECT_SESSION = `${READ_ONLY}
${HASH_TRIPLES}
local types = {}
for i = 2, 4 do types[#types + 1] = redis.call('TYPE', KEYS[i]).ok end
local summary = redis.call('TYPE', KEYS[1]).ok == 'hash' and redis.call('HGET', KEYS[1], ARGV[1])
local order = types[2] == 'list' and redis.call('LRANGE', KEYS[3], 0, -1) or {}
local messages = types[1] == 'hash' and triples(KEYS[2]) or {}
return {types, summary or false, summary and redis.sha1hex(summary) or '', order, messages, redis.sha1hex(table.concat(order, '\\n'))}
`;

/**
 * Moves the fields named in ARGV[first..last] (field / sha1 pairs) from a hash into its quarantine hash,
 * each only while its value still has that sha1, and logs the move once; returns how many moved.
 */
const MOVE_GUARDED_FIELDS = `
local function move_guarded_fields(from, aside, log, entry, first, last)
  local moved = 0
  for i = first, last, 2 do
    local raw = redis.call('HGET', from, ARGV[i])
    if raw and redis.sha1hex(raw) == ARGV[i + 1] then
      redis.call('HSET', aside, ARGV[i], raw)
      redis.call('HDEL', from, ARGV[i])
      moved = moved + 1
    end
  end
  if moved > 0 then redis.call('HSET', log, aside, entry) end
  return moved
end
`;

/** KEYS: the key, its quarantine key, the log; ARGV: the type verify saw, the log entry. Replies 1 when moved. */
const QUARANTINE_KEY = `
if redis.call('TYPE', KEYS[1]).ok ~= ARGV[1] or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('PERSIST', KEYS[2])
redis.call('HSET', KEYS[3], KEYS[2], ARGV[2])
return 1
`;

/** KEYS: a hash, its quarantine hash, the log; ARGV: the log entry, then field / sha1 pairs. Replies how many moved. */
const QUARANTINE_FIELDS = `
${MOVE_GUARDED_FIELDS}
return move_guarded_fields(KEYS[1], KEYS[2], KEYS[3], ARGV[1], 2, #ARGV)
`;

/** KEYS: a stream, its quarantine hash, the log; ARGV: the log entry, then entry ids. Each entry's fields are kept as JSON. */
const QUARANTINE_ENTRIES = `
local moved = 0
for i = 2, #ARGV do
  local found = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])
  if #found == 1 then
    redis.call('HSET', KEYS[2], ARGV[i], cjson.encode(found[1][2]))
    redis.call('XDEL', KEYS[1], ARGV[i])
    moved = moved + 1
  end
end
if moved > 0 then redis.call('HSET', KEYS[3], KEYS[2], ARGV[1]) end
return moved
`;

/**
 * Rewrites one session as verify planned it. KEYS: the seven session keys (luaCommon.ts), 8 its
 * quarantine hash, 9 the log. ARGV 1-4 as luaCommon.ts; 5 the log entry, 6 sha1 of the summary
 * verify read ('' for none), 7 sha1 of its order joined by newlines, 8 the new summary JSON, 9 how
 * many messages to move aside, then as many id / sha1 pairs, then the new order. Replies
 * {'changed'} when the session changed since verify read it, else {'ok', summary JSON}. The
 * session keeps its deadline (from the expiry index, or the TTL its keys have).
 */
const REPAIR_SESSION = `${LUA_COMMON}
${MOVE_GUARDED_FIELDS}
local now = now_ms()
local raw = redis.call('HGET', KEYS[1], sid)
if (raw and redis.sha1hex(raw) or '') ~= ARGV[6] then return {'changed'} end
if redis.sha1hex(table.concat(redis.call('LRANGE', KEYS[6], 0, -1), '\\n')) ~= ARGV[7] then return {'changed'} end
local deadline = redis.call('ZSCORE', KEYS[3], sid)
deadline = deadline and tonumber(deadline)
for key = 5, 6 do
  local left = redis.call('PTTL', KEYS[key])
  if not deadline and left > 0 then deadline = now + left end
end
local aside = tonumber(ARGV[9])
local first_order = 10 + 2 * aside
move_guarded_fields(KEYS[5], KEYS[8], KEYS[9], ARGV[5], 10, first_order - 1)
redis.call('DEL', KEYS[6])
for i = first_order, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[6], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
if redis.call('EXISTS', KEYS[7]) == 0 then redis.call('SET', KEYS[7], 'repaired') end
local encoded = store_summary(decode_summary(ARGV[8]), raw and decode_summary(raw))
if deadline then
  redis.call('ZADD', KEYS[3], deadline, sid)
  for key = 5, 7 do redis.call('PEXPIREAT', KEYS[key], deadline) end
end
feed(raw and 'updated' or 'created', sid)
return {'ok', encoded}
`;

/**
 * KEYS: summaries, recent, expiry. Makes the recent index hold exactly one member (score 0) per
 * readable summary, and drops expiry entries of sessions without a summary. Replies {members
 * removed, members added, expiry entries dropped}.
 */
const REBUILD_INDEX = `${LUA_COMMON}
local wanted, known = {}, {}
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  known[flat[i]] = true
  local s = decode_summary(flat[i + 1])
  if s and s.id == flat[i] then wanted[recent_member(s)] = true end
end
local removed, added, dropped = 0, 0, 0
local members = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #members, 2 do
  if wanted[members[i]] and tonumber(members[i + 1]) == 0 then
    wanted[members[i]] = nil
  else
    redis.call('ZREM', KEYS[2], members[i])
    removed = removed + 1
  end
end
for member in pairs(wanted) do
  redis.call('ZADD', KEYS[2], 0, member)
  added = added + 1
end
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if not known[id] then
    redis.call('ZREM', KEYS[3], id)
    dropped = dropped + 1
  end
end
return {removed, added, dropped}
`;

export const REPAIR_SCRIPTS = {
  mcInspectBucket: { lua: INSPECT_BUCKET, numberOfKeys: 5 },
  mcInspectSession: { lua: INSPECT_SESSION, numberOfKeys: 4 },
  mcQuarantineKey: { lua: QUARANTINE_KEY, numberOfKeys: 3 },
  mcQuarantineFields: { lua: QUARANTINE_FIELDS, numberOfKeys: 3 },
  mcQuarantineEntries: { lua: QUARANTINE_ENTRIES, numberOfKeys: 3 },
  mcRepairSession: { lua: REPAIR_SESSION, numberOfKeys: 9 },
  mcRebuildIndex: { lua: REBUILD_INDEX, numberOfKeys: 3 },
} satisfies Record<string, ScriptDefinition>;
