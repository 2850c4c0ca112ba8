// Lua shared by the store's write scripts. Each script runs on one slot (its KEYS all carry the
// session's bucket tag, see redisKeys.ts) and is atomic: a write, its index entry, its expiry and
// its change-feed entry happen together or not at all. The session rules these scripts apply
// (times, naming, tags) mirror src/core/sessionRules.ts; the shared contract suite holds them to it.
//
// Session scripts take KEYS in this order:
//   1 summaries  2 recent  3 expiry  4 changes  5 messages  6 order  7 creation  (8 tombstone: delete)
// and ARGV: 1 session id, 2 writer id, 3 ttl in ms (0: none), 4 bell channel, then their own.

/** How many changes a bucket's feed keeps; a client further behind rebuilds what it derives. */
export const FEED_LENGTH = 10_000;

/** How many expired sessions one write sweeps from its bucket's index (the rest go with later writes). */
const SWEEP_BATCH = 20;

export const LUA_COMMON = `
local sid, writer, ttl, bell = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]

-- What each of KEYS must be (or not exist): a script checks before it writes anything, because
-- Redis does not roll back a script that fails halfway (garbage under a key would do that).
local KEY_TYPES = {'hash', 'zset', 'zset', 'stream', 'hash', 'list', 'string', 'string'}
local function wrong_key()
  for i = 1, #KEYS do
    local found = redis.call('TYPE', KEYS[i])['ok']
    if found ~= 'none' and found ~= KEY_TYPES[i] then return KEYS[i] end
  end
  return nil
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Summaries are encoded by hand: cjson would turn empty tag lists into objects.
local function encode_summary(s)
  local tags = {}
  for i, tag in ipairs(s.tags) do tags[i] = cjson.encode(tag) end
  return '{"id":' .. cjson.encode(s.id) .. ',"title":' .. cjson.encode(s.title)
    .. ',"createdAt":' .. cjson.encode(s.createdAt) .. ',"updatedAt":' .. cjson.encode(s.updatedAt)
    .. ',"lastMessageAt":' .. cjson.encode(s.lastMessageAt) .. ',"untitled":' .. tostring(s.untitled == true)
    .. ',"tags":[' .. table.concat(tags, ',') .. '],"pinned":' .. tostring(s.pinned == true)
    .. ',"source":' .. cjson.encode(s.source) .. ',"messageCount":' .. string.format('%d', s.messageCount) .. '}'
end

local function decode(raw)
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == 'table' then return value end
  return nil
end

-- A summary the scripts can rewrite: anything else is left alone, for verify to report.
local function decode_summary(raw)
  local s = decode(raw)
  if not s then return nil end
  for _, field in ipairs({'id', 'title', 'createdAt', 'updatedAt', 'lastMessageAt', 'source'}) do
    if type(s[field]) ~= 'string' then return nil end
  end
  if type(s.tags) ~= 'table' or type(s.messageCount) ~= 'number' then return nil end
  for _, tag in ipairs(s.tags) do
    if type(tag) ~= 'string' then return nil end
  end
  return s
end

local function recent_member(s)
  return s.lastMessageAt .. '\\t' .. s.id
end

-- A session expires once its deadline has passed (the deadline itself still counts, as for Redis' own expiry).
local function expired(id, now)
  local deadline = redis.call('ZSCORE', KEYS[3], id)
  return deadline and tonumber(deadline) < now
end

local function feed(kind, id)
  local entry = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ${FEED_LENGTH}, '*', 'k', kind, 's', id, 'w', writer)
  redis.call('SPUBLISH', bell, entry)
end

-- Drops expired sessions from the bucket's index; their own keys expire in Redis at the same deadline.
local function sweep(now)
  local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. now, 'LIMIT', 0, ${SWEEP_BATCH})
  for _, id in ipairs(gone) do
    local s = decode_summary(redis.call('HGET', KEYS[1], id) or '')
    if s then redis.call('ZREM', KEYS[2], recent_member(s)) end
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', KEYS[3], id)
    feed('deleted', id)
  end
end

-- Activity refreshes a session's deadline; a pinned session, or one written without a ttl, never expires.
local function keep(s, now)
  if s.pinned or ttl == 0 then
    redis.call('ZREM', KEYS[3], s.id)
    for key = 5, 7 do redis.call('PERSIST', KEYS[key]) end
  else
    local deadline = now + ttl
    redis.call('ZADD', KEYS[3], deadline, s.id)
    for key = 5, 7 do redis.call('PEXPIREAT', KEYS[key], deadline) end
  end
end

local function store_summary(s, old)
  if old then redis.call('ZREM', KEYS[2], recent_member(old)) end
  redis.call('ZADD', KEYS[2], 0, recent_member(s))
  local encoded = encode_summary(s)
  redis.call('HSET', KEYS[1], s.id, encoded)
  return encoded
end

-- How a write that changed the summary ends: the summary stored, its deadline refreshed, the change announced.
local function commit(s, old, now, kind)
  local encoded = store_summary(s, old)
  keep(s, now)
  feed(kind, sid)
  return {'ok', encoded}
end

-- The session's current summary: nil when there is none (or it expired), false when it is unreadable.
local function current(now)
  local raw = redis.call('HGET', KEYS[1], sid)
  if not raw or expired(sid, now) then return nil end
  return decode_summary(raw) or false
end

-- How the writes to an existing session begin: its keys' types checked, the bucket's expired
-- sessions swept, its summary read. Returns the summary and the time, or a reply to give at once.
local function open_session()
  local wrong = wrong_key()
  if wrong then return nil, nil, {'wrongtype', wrong} end
  local now = now_ms()
  sweep(now)
  local s = current(now)
  if s == nil then return nil, nil, {'missing'} end
  if s == false then return nil, nil, {'corrupt'} end
  return s, now, nil
end
`;
