import { LUA_COMMON } from './luaCommon';

// The store's writes, one script each: one round trip, atomic on one slot, and safe to run twice.
// ioredis re-sends a command whose reply a dropped connection lost, so every script recognises its
// own earlier run: messages by id, a creation by its request token, updates and deletions because
// applying them again changes nothing. Each replies {status, summary JSON?}.

export interface ScriptDefinition {
  lua: string;
  /** Left out for a script given any number of keys: the caller says how many (runScript does). */
  numberOfKeys?: number;
}

const SESSION_KEYS = 7;

/** How long a deleted session's tombstone recognises its delete being sent again. */
const TOMBSTONE_MS = 10 * 60_000;

/** ARGV 5: request token, 6: summary JSON, then message id / message JSON pairs. */
const CREATE = `${LUA_COMMON}
local wrong = wrong_key()
if wrong then return {'wrongtype', wrong} end
local now = now_ms()
sweep(now)
local existing = current(now)
if existing ~= nil then
  if redis.call('GET', KEYS[7]) == ARGV[5] then return {'ok', redis.call('HGET', KEYS[1], sid)} end
  return {'exists'}
end
local s = decode_summary(ARGV[6])
for i = 7, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[5], ARGV[i], ARGV[i + 1]) == 1 then redis.call('RPUSH', KEYS[6], ARGV[i]) end
end
redis.call('SET', KEYS[7], ARGV[5])
return commit(s, nil, now, 'created')
`;

/**
 * ARGV 5…: per message, its id, createdAt, the title it would give an untitled session ('' for
 * none: see sessionRules.ts firstUserTitle) and its JSON. Messages already there are skipped.
 */
const APPEND = `${LUA_COMMON}
local s, now, early = open_session()
if early then return early end
local old = {id = s.id, lastMessageAt = s.lastMessageAt}
local fresh = 0
for i = 5, #ARGV, 4 do
  if redis.call('HSETNX', KEYS[5], ARGV[i], ARGV[i + 3]) == 1 then
    redis.call('RPUSH', KEYS[6], ARGV[i])
    fresh = fresh + 1
    if ARGV[i + 1] > s.lastMessageAt then s.lastMessageAt = ARGV[i + 1] end
    if ARGV[i + 1] > s.updatedAt then s.updatedAt = ARGV[i + 1] end
    if s.untitled and ARGV[i + 2] ~= '' then
      s.title = ARGV[i + 2]
      s.untitled = false
    end
  end
end
if fresh == 0 then return {'ok', redis.call('HGET', KEYS[1], sid)} end
s.messageCount = redis.call('LLEN', KEYS[6])
return commit(s, old, now, 'appended')
`;

/** ARGV 5: the patch as JSON (title, pinned, addTags, removeTags, updatedAt), 6: the writer's time (ISO). */
const UPDATE = `${LUA_COMMON}
local s, now, early = open_session()
if early then return early end
local p = cjson.decode(ARGV[5])
local old = {id = s.id, lastMessageAt = s.lastMessageAt}
if type(p.title) == 'string' then
  s.title = p.title
  s.untitled = false
end
if type(p.pinned) == 'boolean' then s.pinned = p.pinned end
local removed = {}
for _, tag in ipairs(p.removeTags or {}) do removed[tag] = true end
local tags, has = {}, {}
for _, tag in ipairs(s.tags) do
  if not removed[tag] and not has[tag] then
    tags[#tags + 1] = tag
    has[tag] = true
  end
end
for _, tag in ipairs(p.addTags or {}) do
  if not has[tag] and not removed[tag] then
    tags[#tags + 1] = tag
    has[tag] = true
  end
end
s.tags = tags
if type(p.updatedAt) == 'string' then
  s.updatedAt = p.updatedAt
elseif ARGV[6] > s.updatedAt then
  s.updatedAt = ARGV[6]
end
return commit(s, old, now, 'updated')
`;

/** ARGV 5: message id, 6: the patch as JSON (content, incomplete). Costs O(message), whatever the session's length. */
const UPDATE_MESSAGE = `${LUA_COMMON}
local s, now, early = open_session()
if early then return early end
local raw = redis.call('HGET', KEYS[5], ARGV[5])
if not raw then return {'missing-message'} end
local m = decode(raw)
if not m then return {'corrupt-message'} end
local p = cjson.decode(ARGV[6])
if type(p.content) == 'string' then m.content = p.content end
if type(p.incomplete) == 'boolean' then m.incomplete = p.incomplete end
local encoded = cjson.encode(m)
redis.call('HSET', KEYS[5], ARGV[5], encoded)
keep(s, now)
feed('updated', sid)
return {'ok', encoded}
`;

/**
 * ARGV 5…: message ids in their new order (src/core/sessionRules.ts orderAfterReorder): those the
 * session's order list names go first, in this order, then the rest as they were. The summary is
 * stored as it is (its times stay: nothing was written, only arranged), the change announced.
 * Replies {'unchanged'} when the list already is in that order, as a re-sent reorder finds it.
 */
const REORDER = `${LUA_COMMON}
local s, now, early = open_session()
if early then return early end
local current = redis.call('LRANGE', KEYS[6], 0, -1)
local unlisted = {}
for _, id in ipairs(current) do unlisted[id] = true end
local arranged = {}
for i = 5, #ARGV do
  if unlisted[ARGV[i]] then
    arranged[#arranged + 1] = ARGV[i]
    unlisted[ARGV[i]] = nil
  end
end
for _, id in ipairs(current) do
  if unlisted[id] then arranged[#arranged + 1] = id end
end
local changed = #arranged ~= #current
for i = 1, #current do
  if arranged[i] ~= current[i] then changed = true end
end
if not changed then return {'unchanged'} end
redis.call('DEL', KEYS[6])
for i = 1, #arranged, 1000 do
  redis.call('RPUSH', KEYS[6], unpack(arranged, i, math.min(i + 999, #arranged)))
end
return commit(s, {id = s.id, lastMessageAt = s.lastMessageAt}, now, 'updated')
`;

/**
 * KEYS 8: the session's tombstone; ARGV 5: request token. Removes the session, its messages and
 * its index entries; replies {'ok'} or {'missing'}. The tombstone keeps the token for a while, so
 * a delete re-sent after its reply was lost still answers 'ok'.
 */
const DELETE = `${LUA_COMMON}
local wrong = wrong_key()
if wrong then return {'wrongtype', wrong} end
local now = now_ms()
sweep(now)
local raw = redis.call('HGET', KEYS[1], sid)
if not raw then
  if redis.call('GET', KEYS[8]) == ARGV[5] then return {'ok'} end
  return {'missing'}
end
local s = decode_summary(raw)
if s then redis.call('ZREM', KEYS[2], recent_member(s)) end
redis.call('HDEL', KEYS[1], sid)
redis.call('ZREM', KEYS[3], sid)
redis.call('DEL', KEYS[5], KEYS[6], KEYS[7])
redis.call('SET', KEYS[8], ARGV[5], 'PX', ${TOMBSTONE_MS})
feed('deleted', sid)
return {'ok'}
`;

/** KEYS 1–4 of a bucket only: drops its expired sessions from the index, announcing each in the feed. */
const SWEEP = `${LUA_COMMON}
if wrong_key() then return {'wrongtype'} end
sweep(now_ms())
return {'ok'}
`;

export const WRITE_SCRIPTS = {
  mcSweep: { lua: SWEEP, numberOfKeys: 4 },
  mcCreate: { lua: CREATE, numberOfKeys: SESSION_KEYS },
  mcAppend: { lua: APPEND, numberOfKeys: SESSION_KEYS },
  mcUpdate: { lua: UPDATE, numberOfKeys: SESSION_KEYS },
  mcUpdateMessage: { lua: UPDATE_MESSAGE, numberOfKeys: SESSION_KEYS },
  mcReorder: { lua: REORDER, numberOfKeys: SESSION_KEYS },
  mcDelete: { lua: DELETE, numberOfKeys: SESSION_KEYS + 1 },
} satisfies Record<string, ScriptDefinition>;
