import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionStore, StoreChange } from '../../src/core/store';
import { aMessage, aSession } from '../helpers/builders';
import { rejectsWith } from '../helpers/stores';
import { waitFor } from '../helpers/tempDir';
import { ContractStores } from './sessionTimeContract';

// Part of the storage contract: reorderMessages, by which a replica puts its messages in the
// order an authority (the Redis server, for mirrored sessions) gave them. Listed ids go first, in
// the listed order, the rest follow as they were; ids the session does not hold are ignored.
// Run by sessionStoreContract for every backend.

const IDS = ['m0', 'm1', 'm2', 'm3', 'm4'];

async function sessionWithMessages(store: SessionStore): Promise<string> {
  const { id } = await store.create(aSession({ messages: IDS.map((messageId) => aMessage({ id: messageId, content: `message ${messageId}` })) }));
  return id;
}

async function messageIds(store: SessionStore, sessionId: string): Promise<string[] | undefined> {
  return (await store.get(sessionId))?.messages.map((message) => message.id);
}

function ownKinds(changes: readonly StoreChange[], sessionId: string): string[] {
  return changes.filter((change) => 'sessionId' in change && change.sessionId === sessionId && !change.external).map((change) => change.kind);
}

export function reorderContract(stores: ContractStores, options: { durable: boolean }): void {
  describe('reorderMessages', () => {
    it('puts the listed messages first, in the listed order, and the rest after them as they were', async () => {
      const store = stores.store();
      const id = await sessionWithMessages(store);
      assert.equal(await store.reorderMessages(id, ['m3', 'not-held', 'm1']), undefined);
      assert.deepEqual(await messageIds(store, id), ['m3', 'm1', 'm0', 'm2', 'm4']);
      // An id it did not hold was ignored: the message, appended later, simply comes last.
      await store.appendMessages(id, [aMessage({ id: 'not-held' })]);
      assert.deepEqual(await messageIds(store, id), ['m3', 'm1', 'm0', 'm2', 'm4', 'not-held']);
      assert.equal((await store.get(id))?.messages[0].content, 'message m3', 'messages move whole');
    });

    it('is idempotent, keeps updatedAt and lastMessageAt, and announces only a change of order', async () => {
      const store = stores.store();
      const id = await sessionWithMessages(store);
      const before = (await store.list()).find((summary) => summary.id === id);
      const changes: StoreChange[] = [];
      store.onDidChange((change) => changes.push(change));
      await store.reorderMessages(id, ['m0', 'm1']);
      assert.deepEqual(ownKinds(changes, id), [], 'the order it already has is no change');
      await store.reorderMessages(id, ['m4', 'm2']);
      await store.reorderMessages(id, ['m4', 'm2']);
      await store.reorderMessages(id, ['m4']);
      assert.deepEqual(ownKinds(changes, id), ['updated']);
      assert.deepEqual(await messageIds(store, id), ['m4', 'm2', 'm0', 'm1', 'm3']);
      assert.deepEqual((await store.list()).find((summary) => summary.id === id), before);
      const session = await store.get(id);
      assert.equal(session?.updatedAt, before?.updatedAt);
      assert.equal(session?.lastMessageAt, before?.lastMessageAt);
    });

    it('rejects an unknown session, and invalid or repeated ids, changing nothing', async () => {
      const store = stores.store();
      const id = await sessionWithMessages(store);
      const changes: StoreChange[] = [];
      store.onDidChange((change) => changes.push(change));
      await rejectsWith(store.reorderMessages('no-such-session', ['m1']), 'not-found');
      await rejectsWith(store.reorderMessages(id, ['m2', '../escape']), 'invalid-input');
      await rejectsWith(store.reorderMessages(id, ['m2', 'm1', 'm2']), 'invalid-input');
      await rejectsWith(store.reorderMessages(id, ['m2', 42 as never]), 'invalid-input');
      assert.deepEqual(await messageIds(store, id), IDS);
      assert.deepEqual(ownKinds(changes, id), []);
    });

    it('leaves search finding every message, the first match in the new order', async () => {
      const store = stores.store();
      const { id } = await store.create(aSession({ title: 'Queues', messages: [aMessage({ id: 'q1', content: 'kafka partitions' }), aMessage({ id: 'q2', content: 'unrelated' }), aMessage({ id: 'q3', content: 'kafka offsets' })] }));
      assert.equal((await store.search('kafka'))[0]?.messageId, 'q1');
      await store.reorderMessages(id, ['q3']);
      const [hit] = await store.search('kafka');
      assert.deepEqual([hit?.sessionId, hit?.messageId, hit?.score], [id, 'q3', 2]);
      assert.equal((await store.search('partitions'))[0]?.messageId, 'q1');
      assert.equal((await store.search('unrelated'))[0]?.messageId, 'q2');
    });

    if (options.durable) {
      durableReorderContract(stores);
    }
  });
}

function durableReorderContract(stores: ContractStores): void {
  it('keeps the new order across a reopen, and another store on the same location sees it', async () => {
    const store = stores.store();
    const other = await stores.open();
    const id = await sessionWithMessages(store);
    await waitFor(async () => (await other.get(id)) !== undefined, 1_500);
    const changes: StoreChange[] = [];
    other.onDidChange((change) => changes.push(change));
    await store.reorderMessages(id, ['m2', 'm4']);
    const expected = ['m2', 'm4', 'm0', 'm1', 'm3'];
    await waitFor(async () => (await messageIds(other, id))?.join() === expected.join(), 1_500);
    await waitFor(() => changes.some((change) => change.external && 'sessionId' in change && change.sessionId === id), 1_500);
    await store.close();
    const reopened = await stores.open();
    assert.deepEqual(await messageIds(reopened, id), expected);
    assert.deepEqual((await reopened.verify()).problems, []);
  });

  it('loses no message when a reorder races 20 appends from another store', async () => {
    const store = stores.store();
    const other = await stores.open();
    const id = await sessionWithMessages(store);
    await waitFor(async () => (await other.get(id)) !== undefined, 1_500);
    const appends = Array.from({ length: 20 }, (_, i) => other.appendMessages(id, [aMessage({ id: `late${i}`, content: `late ${i}` })]));
    await Promise.all([...appends.slice(0, 10), store.reorderMessages(id, ['m4', 'm1']), ...appends.slice(10)]);
    const total = IDS.length + 20;
    await waitFor(async () => (await messageIds(store, id))?.length === total, 1_500);
    await waitFor(async () => (await messageIds(other, id))?.length === total, 1_500);
    const mine = (await messageIds(store, id)) ?? [];
    assert.deepEqual(await messageIds(other, id), mine, 'both see the same order');
    assert.deepEqual([...mine].sort(), [...IDS, ...Array.from({ length: 20 }, (_, i) => `late${i}`)].sort(), 'every message, once');
    // Appends that came first were arranged after the session's own; the rest came after anyway.
    assert.deepEqual(mine.slice(0, IDS.length), ['m4', 'm1', 'm0', 'm2', 'm3']);
    assert.deepEqual((await store.verify()).problems, []);
  });
}
