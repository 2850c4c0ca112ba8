// Where a namespace's data lives in Redis. Sessions are spread over a fixed number of buckets by a
// hash of their id; every key of a bucket (its summaries index, its order, expiry and change feed)
// and every key of its sessions carries the bucket's hash tag, so each write — a session's data and
// its index entry together — is one script on one slot, atomic on a cluster too, and the buckets
// spread over the cluster's masters. Listing reads each bucket's index: a few round trips for any
// number of sessions, never KEYS or SCAN. Every key and channel starts with `<prefix>:`, so an ACL
// user limited to `~<prefix>:*` and `&<prefix>:*` can use the store.

/** Fixed for a namespace's lifetime: changing it would move every session to another bucket. */
export const BUCKET_COUNT = 16;

export interface BucketKeys {
  /** The bucket's number (0…BUCKET_COUNT-1). */
  bucket: number;
  /** HASH session id → summary JSON: the index, and each session's metadata. */
  summaries: string;
  /** ZSET (all scores 0) of `<lastMessageAt>\t<id>`: the latest sessions first, for a cheap first page. */
  recent: string;
  /** ZSET session id → the time (ms) it expires: only sessions written with a ttl. */
  expiry: string;
  /** STREAM of changes (kind, session id, writer): what other clients and the search cache catch up from. */
  changes: string;
  /** The sharded pub/sub channel rung after each change. */
  bell: string;
}

export interface SessionKeys extends BucketKeys {
  /** HASH message id → message JSON. */
  messages: string;
  /** LIST of message ids, in the order the server stored them. */
  order: string;
  /** STRING: the token of the request that created the session, so a re-sent create is recognised. */
  creation: string;
  /** STRING, for a while after a delete: its request token, so a re-sent delete is recognised. */
  tombstone: string;
}

/** FNV-1a over the id's UTF-16 units: stable, cheap, and spreads time-sortable ids evenly. */
export function bucketOf(sessionId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < sessionId.length; index++) {
    hash ^= sessionId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKET_COUNT;
}

export function bucketKeys(prefix: string, bucket: number): BucketKeys {
  const tagged = `${prefix}:{${prefix}:b${String(bucket).padStart(2, '0')}}`;
  return {
    bucket,
    summaries: `${tagged}:summaries`,
    recent: `${tagged}:recent`,
    expiry: `${tagged}:expiry`,
    changes: `${tagged}:changes`,
    bell: `${tagged}:bell`,
  };
}

export function sessionKeys(prefix: string, sessionId: string): SessionKeys {
  const bucket = bucketKeys(prefix, bucketOf(sessionId));
  const session = `${bucket.summaries.slice(0, -':summaries'.length)}:s:${sessionId}`;
  return { ...bucket, messages: `${session}:messages`, order: `${session}:order`, creation: `${session}:created`, tombstone: `${session}:deleted` };
}

export function allBuckets(prefix: string): BucketKeys[] {
  return Array.from({ length: BUCKET_COUNT }, (_, bucket) => bucketKeys(prefix, bucket));
}

/** Where malformed data found under the namespace is moved by `verify --repair` (never deleted). */
export function quarantineKey(prefix: string, bucket: number): string {
  return `${bucketKeys(prefix, bucket).summaries.slice(0, -':summaries'.length)}:quarantine`;
}
