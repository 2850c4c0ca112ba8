import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNTITLED_TITLE } from '../../src/core/messageTitle';
import { SessionStore } from '../../src/core/store';
import { aMessage, aSession } from '../helpers/builders';
import { rejectsWith } from '../helpers/stores';
import { waitFor } from '../helpers/tempDir';

// Part of the storage contract: which time a session sorts by, and how an untitled session gets
// its title. Lists follow the last message (createdAt while there is none); tidying a session —
// tags, pin, rename — changes updatedAt only. Run by sessionStoreContract for every backend.

export interface ContractStores {
  store(): SessionStore;
  open(): Promise<SessionStore>;
}

const DAY_1 = '2024-03-01T09:00:00.000Z';
const DAY_2 = '2024-03-02T09:00:00.000Z';
const DAY_3 = '2024-03-03T09:00:00.000Z';

/** Two sessions with messages days apart: `old` (last message day 2) lists after `recent` (day 3). */
async function twoDatedSessions(store: SessionStore): Promise<{ old: string; recent: string }> {
  const old = await store.create(
    aSession({ title: 'Old', createdAt: DAY_1, messages: [aMessage({ createdAt: DAY_1 }), aMessage({ role: 'assistant', createdAt: DAY_2 })] }),
  );
  const recent = await store.create(aSession({ title: 'Recent', createdAt: DAY_3 }));
  return { old: old.id, recent: recent.id };
}

export function sessionTimeContract(stores: ContractStores, options: { durable: boolean }): void {
  describe('the time a session sorts by', () => {
    it('is its last message time, or its creation time while it has no messages', async () => {
      const { old, recent } = await twoDatedSessions(stores.store());
      const listed = await stores.store().list();
      assert.deepEqual(listed.map((s) => [s.id, s.lastMessageAt]), [[recent, DAY_3], [old, DAY_2]]);
      assert.equal((await stores.store().get(old))?.lastMessageAt, DAY_2);
    });

    it('does not change when a session is tagged, pinned or renamed, though updatedAt does', async () => {
      const store = stores.store();
      const { old, recent } = await twoDatedSessions(store);
      const before = (await store.list()).find((s) => s.id === old);
      await store.update(old, { addTags: ['tidy'] });
      await store.update(old, { pinned: true });
      const renamed = await store.update(old, { title: 'Old, renamed' });
      assert.equal(renamed.lastMessageAt, DAY_2);
      assert.ok(renamed.updatedAt > (before?.updatedAt ?? ''), 'updatedAt still records the change');
      const listed = await store.list();
      assert.deepEqual(listed.map((s) => s.id), [recent, old]);
      assert.equal(listed[1].lastMessageAt, DAY_2);
      assert.equal((await store.get(old))?.lastMessageAt, DAY_2);
    });

    it('advances when a message is appended, which moves the session first', async () => {
      const store = stores.store();
      const { old, recent } = await twoDatedSessions(store);
      const [message] = await store.appendMessages(old, [aMessage({ content: 'back to this' })]);
      const listed = await store.list();
      assert.deepEqual(listed.map((s) => s.id), [old, recent]);
      assert.equal(listed[0].lastMessageAt, message.createdAt);
      assert.equal((await store.get(old))?.lastMessageAt, message.createdAt);
    });

    it('does not change when a message is edited (a streamed reply keeps the time it started)', async () => {
      const store = stores.store();
      const { old, recent } = await twoDatedSessions(store);
      const reply = (await store.get(old))?.messages[1];
      await store.updateMessage(old, reply?.id ?? '', { content: 'edited later' });
      const listed = await store.list();
      assert.deepEqual(listed.map((s) => [s.id, s.lastMessageAt]), [[recent, DAY_3], [old, DAY_2]]);
    });

    it('ignores a retried message and an appended message older than the last', async () => {
      const store = stores.store();
      const { old } = await twoDatedSessions(store);
      const [first] = (await store.get(old))?.messages ?? [];
      await store.appendMessages(old, [first, aMessage({ createdAt: DAY_1 })]);
      assert.equal((await store.list()).find((s) => s.id === old)?.lastMessageAt, DAY_2);
    });

    it('orders search hits of equal score by it too', async () => {
      const store = stores.store();
      const { old, recent } = await twoDatedSessions(store);
      await store.update(old, { addTags: ['tidy'] });
      await store.appendMessages(recent, [aMessage({ content: 'zebra', createdAt: DAY_3 })]);
      await store.appendMessages(old, [aMessage({ content: 'zebra', createdAt: DAY_2 })]);
      assert.deepEqual((await store.search('zebra')).map((hit) => hit.sessionId), [recent, old]);
    });
  });

  describe('untitled sessions', () => {
    it('take their title from the first user message, Markdown stripped', async () => {
      const store = stores.store();
      const created = await store.create({ tags: [] });
      assert.deepEqual([created.title, created.untitled], [UNTITLED_TITLE, true]);
      await store.appendMessages(created.id, [aMessage({ role: 'system', content: 'You are helpful.' })]);
      assert.equal((await store.list())[0].title, UNTITLED_TITLE, 'only a user message names it');
      await store.appendMessages(created.id, [aMessage({ content: '## Why does **the parser** crash on `null`?\n\nDetails…' })]);
      await store.appendMessages(created.id, [aMessage({ content: 'A later question' })]);
      const [summary] = await store.list();
      assert.deepEqual([summary.title, summary.untitled], ['Why does the parser crash on null?', false]);
      assert.equal((await store.get(created.id))?.title, 'Why does the parser crash on null?');
      assert.equal((await store.search('crash'))[0]?.messageId, null, 'the new title is searchable');
    });

    it('are searched by the title their first user message gave, whichever messages a query matches', async () => {
      const store = stores.store();
      const named = await store.create({});
      await store.appendMessages(named.id, [aMessage({ content: 'Zebra crossing rules' })]);
      await store.appendMessages(named.id, [aMessage({ role: 'assistant', content: 'Stop for pedestrians.' })]);
      const other = await store.create(aSession({ title: 'Road trip' }));
      await store.appendMessages(other.id, [aMessage({ content: 'a zebra' }), aMessage({ content: 'another zebra' }), aMessage({ content: 'zebra again' })]);
      const [best] = await store.search('zebra', { limit: 1 });
      assert.deepEqual([best?.sessionId, best?.messageId, best?.title], [named.id, null, 'Zebra crossing rules'], 'a title match outranks three messages');
      const [pedestrian] = await store.search('pedestrians');
      assert.deepEqual([pedestrian?.sessionId, pedestrian?.title], [named.id, 'Zebra crossing rules']);
    });

    it('are named at once when created with a user message', async () => {
      const created = await stores.store().create({ messages: [aMessage({ content: 'Plan the release' })] });
      assert.deepEqual([created.title, created.untitled], ['Plan the release', false]);
    });

    it('keep a title the user gave, at creation or by a rename, when the first message comes', async () => {
      const store = stores.store();
      const titled = await store.create(aSession({ title: 'Chosen' }));
      assert.equal(titled.untitled, false);
      const untitled = await store.create({});
      const renamed = await store.update(untitled.id, { title: 'Renamed first' });
      assert.equal(renamed.untitled, false);
      await store.appendMessages(titled.id, [aMessage({ content: 'Not a title' })]);
      await store.appendMessages(untitled.id, [aMessage({ content: 'Not a title either' })]);
      assert.equal((await store.get(titled.id))?.title, 'Chosen');
      assert.equal((await store.get(untitled.id))?.title, 'Renamed first');
    });

    it('stay untitled while the user has written no text', async () => {
      const store = stores.store();
      const created = await store.create({});
      await store.appendMessages(created.id, [aMessage({ content: '```\n```' })]);
      assert.equal((await store.get(created.id))?.untitled, true);
      await store.appendMessages(created.id, [aMessage({ content: 'Now with words' })]);
      assert.equal((await store.get(created.id))?.title, 'Now with words');
    });

    it('reject an invalid untitled flag', async () => {
      const store = stores.store();
      await rejectsWith(store.create({ untitled: 'yes' as never }), 'invalid-input');
      await rejectsWith(store.create({ lastMessageAt: 'yesterday' }), 'invalid-input');
      assert.deepEqual(await store.list(), []);
    });
  });

  if (options.durable) {
    describe('times and titles across processes', () => {
      it('keep lastMessageAt and untitled across a reopen, and name the session after it', async () => {
        const { old, recent } = await twoDatedSessions(stores.store());
        await stores.store().update(old, { pinned: true });
        const untitled = await stores.store().create({ createdAt: DAY_1 });
        const before = await stores.store().list();
        await stores.store().close();
        const reopened = await stores.open();
        assert.deepEqual(await reopened.list(), before);
        assert.deepEqual(before.map((s) => s.id), [recent, old, untitled.id]);
        await reopened.appendMessages(untitled.id, [aMessage({ content: 'Named after reopening', createdAt: DAY_2 })]);
        assert.equal((await reopened.get(untitled.id))?.title, 'Named after reopening');
      });

      it('agree with another store on the same location about a title from the first message', async () => {
        const other = await stores.open();
        const created = await stores.store().create({});
        await waitFor(async () => (await other.get(created.id)) !== undefined, 1_500);
        await other.appendMessages(created.id, [aMessage({ content: 'Named elsewhere' })]);
        await waitFor(async () => (await stores.store().list())[0]?.title === 'Named elsewhere', 1_500);
        assert.equal((await stores.store().get(created.id))?.untitled, false);
      });
    });
  }
}
