import { z } from 'zod';
import { Statements } from '../sqlite/database/statements';
import { FeedCursor } from './changeLog';
import { BUCKET_COUNT } from './redisKeys';

// How far the local search index has read each bucket's change feed. Kept inside the index's own
// database (its meta table), so the cursors and the changes they cover reach the disk together,
// in one atomic replacement of the file: a crash leaves both old or both new, never cursors ahead
// of the data. Missing or unreadable cursors (or those of another layout) mean "rebuild": the
// index is a cache.

const META_KEY = 'redis_feed_cursors';

const cursorsSchema = z.strictObject({
  buckets: z.number().int(),
  cursors: z.record(z.string().regex(/^\d+$/), z.strictObject({ id: z.string().regex(/^\d+-\d+$/), added: z.number().int().min(0) })),
});

export function readIndexCursors(sql: Statements): Map<number, FeedCursor> {
  try {
    const row = sql.one('SELECT value FROM meta WHERE key = ?', [META_KEY]);
    const parsed = cursorsSchema.safeParse(JSON.parse(String(row?.[0] ?? 'null')));
    if (!parsed.success || parsed.data.buckets !== BUCKET_COUNT) {
      return new Map();
    }
    return new Map(Object.entries(parsed.data.cursors).map(([bucket, cursor]) => [Number(bucket), cursor]));
  } catch {
    return new Map();
  }
}

/** Notes the cursors in the database; they reach the disk with the next save of the index. */
export function writeIndexCursors(sql: Statements, cursors: ReadonlyMap<number, FeedCursor>): void {
  const value = JSON.stringify({ buckets: BUCKET_COUNT, cursors: Object.fromEntries(cursors) });
  sql.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [META_KEY, value]);
}
