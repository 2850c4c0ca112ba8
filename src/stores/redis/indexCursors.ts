import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { replaceFileAtomically } from '../fs/atomicFile';
import { FeedCursor } from './changeLog';
import { BUCKET_COUNT } from './redisKeys';

// How far the local search index has read each bucket's change feed, saved beside it. Saved
// atomically and only after the changes it covers are durable in the index; a missing or
// unreadable file (or one from another layout) just means "rebuild" — it is a cache.

const cursorsSchema = z.strictObject({
  buckets: z.number().int(),
  cursors: z.record(z.string().regex(/^\d+$/), z.strictObject({ id: z.string().regex(/^\d+-\d+$/), added: z.number().int().min(0) })),
});

export class IndexCursors {
  constructor(private readonly file: string) {}

  read(): Map<number, FeedCursor> {
    try {
      const parsed = cursorsSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (!parsed.success || parsed.data.buckets !== BUCKET_COUNT) {
        return new Map();
      }
      return new Map(Object.entries(parsed.data.cursors).map(([bucket, cursor]) => [Number(bucket), cursor]));
    } catch {
      return new Map();
    }
  }

  async write(cursors: ReadonlyMap<number, FeedCursor>): Promise<void> {
    await replaceFileAtomically(this.file, JSON.stringify({ buckets: BUCKET_COUNT, cursors: Object.fromEntries(cursors) }));
  }
}
