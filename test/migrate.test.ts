import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMultichatError } from '../src/core/errors';
import { MemorySessionStore } from '../src/core/memoryStore';
import { Session } from '../src/core/model';
import { migrateSessions } from '../src/interop/migrate';
import { contentHash, mismatchError } from '../src/interop/migrationCheck';

async function sourceWith(count: number): Promise<MemorySessionStore> {
  const source = new MemorySessionStore();
  for (let index = 0; index < count; index++) {
    await source.create({ title: `session ${index}`, tags: ['t'], messages: [{ role: 'user', content: `question ${index}` }, { role: 'assistant', content: `answer ${index}` }] });
  }
  return source;
}

describe('migrating with a check', () => {
  it('proves every copy: content hashes as it goes, then the counts', async () => {
    const source = await sourceWith(5);
    const target = new MemorySessionStore();
    const progress: number[] = [];
    const result = await migrateSessions(source, target, { check: true, onProgress: (done) => progress.push(done) });
    assert.deepEqual(result, { imported: 5, updated: 0, unchanged: 0, total: 5, cancelled: false, check: { checked: 5, mismatches: [] } });
    assert.deepEqual(progress, [1, 2, 3, 4, 5]);
    assert.equal(mismatchError(result.check), undefined);
    const again = await migrateSessions(source, target, { check: true });
    assert.deepEqual([again.unchanged, again.check?.checked, again.check?.mismatches], [5, 5, []]);
  });

  it('names a session whose copy was changed behind its back, and one with a message too many', async () => {
    const source = await sourceWith(3);
    const target = new MemorySessionStore();
    await migrateSessions(source, target);
    const [edited, grown] = await source.list();
    const editedCopy = (await target.get(edited.id))!;
    await target.updateMessage(edited.id, editedCopy.messages[0].id, { content: 'not what was asked' });
    await target.appendMessages(grown.id, [{ role: 'user', content: 'an extra one', createdAt: '2000-01-01T00:00:00.000Z' }]);
    const result = await migrateSessions(source, target, { check: true });
    assert.deepEqual(result.check?.mismatches.map((mismatch) => mismatch.sessionId).sort(), [edited.id, grown.id].sort());
    const error = mismatchError(result.check);
    assert.ok(isMultichatError(error, 'conflict'));
    assert.match(error.message, /^the copy does not match its source: 2 sessions differ: /);
    assert.match(error.message, new RegExp(`${edited.id} \\(content hash [0-9a-f]{12} in the target, [0-9a-f]{12} in the source\\)`));
    assert.match(error.message, new RegExp(`${grown.id} \\(2 messages in the source, 3 in the target\\)`));
  });

  it('finishes a copy cut short so that it equals its source, down to updatedAt', async () => {
    const source = new MemorySessionStore();
    const summary = await source.create({ title: 'cut short', createdAt: '2024-01-01T00:00:00.000Z', messages: [{ role: 'user', content: 'one', createdAt: '2024-01-01T00:00:00.000Z' }] });
    await source.appendMessages(summary.id, [{ role: 'assistant', content: 'two', createdAt: '2024-01-01T00:01:00.000Z' }]);
    // Pinned and unpinned again: nothing differs but the time it was last changed.
    await source.update(summary.id, { pinned: true, updatedAt: '2024-01-01T00:02:00.000Z' });
    await source.update(summary.id, { pinned: false, updatedAt: '2024-01-01T00:03:00.000Z' });
    const original = (await source.get(summary.id))!;
    const partial: Session = { ...original, updatedAt: original.messages[0].createdAt, messages: original.messages.slice(0, 1) };
    const target = new MemorySessionStore();
    await target.create(partial);
    const result = await migrateSessions(source, target, { check: true });
    assert.deepEqual([result.updated, result.check?.mismatches], [1, []]);
    assert.equal(contentHash((await target.get(summary.id))!), contentHash(original));
  });

  it('hashes content, not the order of keys', () => {
    const session: Session = { id: 'a', title: 't', createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', lastMessageAt: '2024-01-01T00:00:00.000Z', untitled: false, tags: [], pinned: false, source: 'multichat', messages: [] };
    const reordered = Object.fromEntries(Object.entries(session).reverse()) as Session;
    assert.equal(contentHash(reordered), contentHash(session));
    assert.notEqual(contentHash({ ...session, title: 'u' }), contentHash(session));
  });
});
