import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { importSession } from '../../src/core/importSession';
import { ID_PATTERN } from '../../src/core/ids';
import { SessionStore, StoreChange } from '../../src/core/store';
import { aMessage, aSession, someMessages } from '../helpers/builders';
import { OpenedStores, rejectsWith } from '../helpers/stores';
import { waitFor } from '../helpers/tempDir';
import { reorderContract } from './reorderContract';
import { searchContract } from './searchContract';
import { sessionTimeContract } from './sessionTimeContract';

/**
 * The storage contract, run unchanged against every backend. A fixture opens stores on one
 * location; `durable` fixtures can reopen it (and open a second store on it at the same time,
 * as a second process would).
 */
export interface StoreFixture {
  open(): Promise<SessionStore>;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  durable: boolean;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function sessionStoreContract(name: string, makeFixture: () => Promise<StoreFixture>, options: ContractOptions): void {
  describe(`SessionStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: SessionStore;
    const opened = new OpenedStores();
    const open = (): Promise<SessionStore> => opened.track(fixture.open());

    beforeEach(async () => {
      fixture = await makeFixture();
      store = await open();
    });
    afterEach(async () => {
      await opened.closeAll();
      await fixture.cleanup();
    });
    after(() => undefined);

    describe('create and get', () => {
      it('creates a session with a time-sortable id and ISO-8601 UTC timestamps', async () => {
        const summary = await store.create(aSession());
        assert.match(summary.id, ID_PATTERN);
        assert.match(summary.createdAt, ISO_UTC);
        assert.match(summary.updatedAt, ISO_UTC);
        assert.equal(summary.messageCount, 0);
        assert.deepEqual(summary.tags, ['work']);
        assert.equal(summary.pinned, false);
        const later = await store.create(aSession());
        assert.ok(later.id > summary.id, 'ids sort by creation time');
      });

      it('returns the whole session, and undefined for an unknown id', async () => {
        const summary = await store.create(aSession({ messages: someMessages(3) }));
        const session = await store.get(summary.id);
        assert.equal(session?.title, 'Refactor the parser');
        assert.deepEqual(session?.messages.map((m) => m.content), ['message number 0', 'message number 1', 'message number 2']);
        assert.equal(await store.get('no-such-session'), undefined);
      });

      it('keeps given ids and timestamps, as imports need', async () => {
        const createdAt = '2024-01-02T03:04:05.000Z';
        await store.create({ id: 'fixed-id', title: 'Old', createdAt, messages: [{ id: 'm1', role: 'user', content: 'hi', createdAt }] });
        const session = await store.get('fixed-id');
        assert.equal(session?.createdAt, createdAt);
        assert.equal(session?.updatedAt, createdAt);
        assert.equal(session?.messages[0].id, 'm1');
        await rejectsWith(store.create({ id: 'fixed-id', title: 'Again' }), 'invalid-input');
      });

      it('rejects invalid input and writes nothing', async () => {
        await rejectsWith(store.create({ title: '   ' }), 'invalid-input');
        await rejectsWith(store.create({ title: 'x', tags: ['has space'] }), 'invalid-input');
        await rejectsWith(store.create({ title: 'x', id: '../escape' }), 'invalid-input');
        await rejectsWith(store.create({ title: 'x', messages: [{ role: 'robot' as never, content: 'x' }] }), 'invalid-input');
        await rejectsWith(store.create({ title: 'x', createdAt: 'yesterday' }), 'invalid-input');
        assert.deepEqual(await store.list(), []);
      });
    });

    describe('list', () => {
      it('lists summaries latest message first, filtered by tag and limited', async () => {
        const a = await store.create(aSession({ title: 'A', tags: ['x'] }));
        const b = await store.create(aSession({ title: 'B', tags: ['y'] }));
        const c = await store.create(aSession({ title: 'C', tags: ['x', 'y'] }));
        await store.appendMessages(a.id, [aMessage()]);
        assert.deepEqual((await store.list()).map((s) => s.title), ['A', 'C', 'B']);
        assert.deepEqual((await store.list({ tag: 'x' })).map((s) => s.id), [a.id, c.id]);
        assert.deepEqual((await store.list({ limit: 1 })).map((s) => s.id), [a.id]);
        assert.equal((await store.list()).find((s) => s.id === b.id)?.messageCount, 0);
        assert.equal((await store.list()).find((s) => s.id === a.id)?.messageCount, 1);
      });
    });

    describe('appendMessages', () => {
      it('appends in order, assigns ids and timestamps, and advances updatedAt', async () => {
        const summary = await store.create(aSession());
        const first = await store.appendMessages(summary.id, [aMessage({ content: 'one' })]);
        const rest = await store.appendMessages(summary.id, [aMessage({ role: 'assistant', content: 'two', model: 'gpt' }), aMessage({ content: 'three' })]);
        assert.equal(first.length, 1);
        assert.match(first[0].id, ID_PATTERN);
        assert.match(first[0].createdAt, ISO_UTC);
        const session = await store.get(summary.id);
        assert.deepEqual(session?.messages.map((m) => m.content), ['one', 'two', 'three']);
        assert.deepEqual(session?.messages.map((m) => m.id), [...first, ...rest].map((m) => m.id));
        assert.equal(session?.messages[1].model, 'gpt');
        assert.ok((session?.updatedAt ?? '') >= summary.updatedAt);
      });

      it('ignores a message whose id is already there, so retries are safe', async () => {
        const summary = await store.create(aSession());
        await store.appendMessages(summary.id, [aMessage({ id: 'same', content: 'once' })]);
        await store.appendMessages(summary.id, [aMessage({ id: 'same', content: 'once' })]);
        assert.equal((await store.get(summary.id))?.messages.length, 1);
      });

      it('keeps content exactly, whatever characters it holds', async () => {
        const summary = await store.create(aSession());
        const content = 'line 1\nline 2\r\n\ttab "quotes" \\ back <script>alert(1)</script> ünïcödé 🚀 \u2028';
        await store.appendMessages(summary.id, [aMessage({ content })]);
        assert.equal((await store.get(summary.id))?.messages[0].content, content);
      });

      it('rejects an unknown session and invalid messages without writing', async () => {
        await rejectsWith(store.appendMessages('missing', [aMessage()]), 'not-found');
        const summary = await store.create(aSession());
        await rejectsWith(store.appendMessages(summary.id, [aMessage(), { role: 'user', content: 42 as never }]), 'invalid-input');
        assert.equal((await store.get(summary.id))?.messages.length, 0);
      });
    });

    describe('updateMessage (streamed replies)', () => {
      it('replaces a message in place and completes it, keeping its position', async () => {
        const summary = await store.create(aSession());
        const [question] = await store.appendMessages(summary.id, [aMessage({ content: 'question' })]);
        const [reply] = await store.appendMessages(summary.id, [{ role: 'assistant', content: 'Par', incomplete: true }]);
        await store.updateMessage(summary.id, reply.id, { content: 'Partial answer' });
        const done = await store.updateMessage(summary.id, reply.id, { content: 'Partial answer, finished', incomplete: false });
        assert.equal(done.content, 'Partial answer, finished');
        const session = await store.get(summary.id);
        assert.deepEqual(session?.messages.map((m) => [m.id, m.content, m.incomplete ?? false]), [
          [question.id, 'question', false],
          [reply.id, 'Partial answer, finished', false],
        ]);
        assert.equal((await store.search('finished'))[0]?.messageId, reply.id);
        await rejectsWith(store.updateMessage(summary.id, 'no-such-message', { content: 'x' }), 'not-found');
        await rejectsWith(store.updateMessage('no-such-session', reply.id, { content: 'x' }), 'not-found');
        await rejectsWith(store.updateMessage(summary.id, reply.id, { content: 7 as never }), 'invalid-input');
      });
    });

    describe('update and delete', () => {
      it('renames, pins and changes tags', async () => {
        const summary = await store.create(aSession({ tags: ['a', 'b'] }));
        const updated = await store.update(summary.id, { title: 'Renamed', pinned: true, addTags: ['c'], removeTags: ['a'] });
        assert.equal(updated.title, 'Renamed');
        assert.equal(updated.pinned, true);
        assert.deepEqual(updated.tags, ['b', 'c']);
        const session = await store.get(summary.id);
        assert.equal(session?.title, 'Renamed');
        assert.deepEqual(session?.tags, ['b', 'c']);
        await rejectsWith(store.update('missing', { title: 'x' }), 'not-found');
        await rejectsWith(store.update(summary.id, { title: '' }), 'invalid-input');
      });

      it('deletes a session once', async () => {
        const summary = await store.create(aSession({ messages: someMessages(2) }));
        assert.equal(await store.delete(summary.id), true);
        assert.equal(await store.delete(summary.id), false);
        assert.equal(await store.get(summary.id), undefined);
        assert.deepEqual(await store.list(), []);
        await rejectsWith(store.appendMessages(summary.id, [aMessage()]), 'not-found');
      });
    });

    describe('search', () => {
      it('finds sessions whose title or a message holds every word, case-insensitively', async () => {
        const title = await store.create(aSession({ title: 'Kafka consumer lag' }));
        const body = await store.create(aSession({ title: 'Misc', messages: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'The CONSUMER reads from Kafka quickly' }] }));
        await store.create(aSession({ title: 'Other', messages: [{ role: 'user', content: 'kafka only' }] }));
        const hits = await store.search('kafka consumer');
        assert.deepEqual(hits.map((h) => h.sessionId), [title.id, body.id]);
        assert.equal(hits[0].messageId, null);
        const bodySession = await store.get(body.id);
        assert.equal(hits[1].messageId, bodySession?.messages[1].id);
        assert.match(hits[1].snippet, /consumer/i);
        assert.equal((await store.search('kafka', { limit: 1 })).length, 1);
        assert.deepEqual(await store.search('nothingmatchesthis'), []);
        await rejectsWith(store.search('   '), 'invalid-input');
      });

      it('abandons a search whose signal was aborted', async () => {
        await store.create(aSession({ title: 'Kafka consumer lag' }));
        const replaced = new AbortController();
        replaced.abort();
        await assert.rejects(store.search('kafka', { signal: replaced.signal }), { name: 'AbortError' });
        assert.equal((await store.search('kafka', { signal: new AbortController().signal })).length, 1);
      });

      it('does not find deleted sessions or renamed-away titles', async () => {
        const gone = await store.create(aSession({ title: 'Ephemeral words' }));
        const renamed = await store.create(aSession({ title: 'Temporary heading' }));
        await store.delete(gone.id);
        await store.update(renamed.id, { title: 'Permanent heading' });
        assert.deepEqual(await store.search('ephemeral'), []);
        assert.deepEqual(await store.search('temporary'), []);
        assert.equal((await store.search('permanent'))[0]?.sessionId, renamed.id);
      });
    });

    describe('change events', () => {
      it('reports its own changes', async () => {
        const changes: StoreChange[] = [];
        store.onDidChange((change) => changes.push(change));
        const summary = await store.create(aSession());
        await store.appendMessages(summary.id, [aMessage()]);
        await store.update(summary.id, { pinned: true });
        await store.delete(summary.id);
        const kinds = changes.filter((c) => 'sessionId' in c && c.sessionId === summary.id).map((c) => c.kind);
        assert.deepEqual(kinds, ['created', 'appended', 'updated', 'deleted']);
      });
    });

    describe('imports', () => {
      it('merges a session idempotently: ids decide', async () => {
        const source = { id: 'imp-1', title: 'Imported', createdAt: '2024-05-01T00:00:00.000Z', updatedAt: '2024-05-01T00:01:00.000Z', lastMessageAt: '2024-05-01T00:01:00.000Z', untitled: false, tags: ['t'], pinned: false, source: 'multichat', messages: [{ id: 'im-1', role: 'user' as const, content: 'hello', createdAt: '2024-05-01T00:01:00.000Z' }] };
        assert.equal(await importSession(store, source), 'imported');
        assert.equal(await importSession(store, source), 'unchanged');
        const grown = { ...source, updatedAt: '2024-05-02T00:00:00.000Z', lastMessageAt: '2024-05-02T00:00:00.000Z', messages: [...source.messages, { id: 'im-2', role: 'assistant' as const, content: 'hi', createdAt: '2024-05-02T00:00:00.000Z' }] };
        assert.equal(await importSession(store, grown), 'updated');
        assert.equal(await importSession(store, grown), 'unchanged');
        const session = await store.get('imp-1');
        assert.deepEqual(session?.messages.map((m) => m.id), ['im-1', 'im-2']);
        assert.equal(session?.updatedAt, '2024-05-02T00:00:00.000Z');
      });
    });

    sessionTimeContract({ store: () => store, open }, options);
    reorderContract({ store: () => store, open }, options);
    searchContract({ store: () => store, open });

    if (options.durable) {
      describe('durability and other processes', () => {
        it('keeps everything across a reopen', async () => {
          const summary = await store.create(aSession({ tags: ['keep'] }));
          await store.appendMessages(summary.id, someMessages(5));
          const [streamed] = await store.appendMessages(summary.id, [{ role: 'assistant', content: 'stre', incomplete: true }]);
          await store.updateMessage(summary.id, streamed.id, { content: 'streamed reply', incomplete: false });
          await store.update(summary.id, { title: 'Kept', pinned: true, addTags: ['more'] });
          const doomed = await store.create(aSession({ title: 'Doomed' }));
          await store.delete(doomed.id);
          const before = await store.get(summary.id);
          await store.close();
          const reopened = await open();
          assert.deepEqual(await reopened.get(summary.id), before);
          assert.deepEqual((await reopened.list()).map((s) => s.id), [summary.id]);
          assert.equal((await reopened.search('kept'))[0]?.sessionId, summary.id);
          assert.equal(await reopened.get(doomed.id), undefined);
        });

        it('sees changes made through another store on the same location, with events', async () => {
          const other = await open();
          const changes: StoreChange[] = [];
          store.onDidChange((change) => changes.push(change));
          const summary = await other.create(aSession({ title: 'From elsewhere' }));
          await other.appendMessages(summary.id, someMessages(2));
          await waitFor(async () => (await store.list()).some((s) => s.id === summary.id && s.messageCount === 2), 1_500);
          await waitFor(() => changes.some((c) => c.external), 1_500);
          assert.equal((await store.get(summary.id))?.messages.length, 2);
          await other.update(summary.id, { title: 'Renamed elsewhere' });
          await waitFor(async () => (await store.list())[0]?.title === 'Renamed elsewhere', 1_500);
          await other.delete(summary.id);
          await waitFor(async () => (await store.list()).length === 0, 1_500);
        });

        it('keeps every message when two stores append to one session at once', async () => {
          const other = await open();
          const summary = await store.create(aSession());
          await waitFor(async () => (await other.get(summary.id)) !== undefined, 1_500);
          const writes: Promise<unknown>[] = [];
          for (let i = 0; i < 20; i++) {
            writes.push(store.appendMessages(summary.id, [aMessage({ content: `a${i}` })]));
            writes.push(other.appendMessages(summary.id, [aMessage({ content: `b${i}` })]));
          }
          await Promise.all(writes);
          await waitFor(async () => (await store.get(summary.id))?.messages.length === 40, 1_500);
          await waitFor(async () => (await other.get(summary.id))?.messages.length === 40, 1_500);
          const mine = (await store.get(summary.id))?.messages.map((m) => m.id);
          const theirs = (await other.get(summary.id))?.messages.map((m) => m.id);
          assert.deepEqual(mine, theirs, 'both see the same order');
          assert.deepEqual((await store.verify()).problems, []);
        });
      });
    }
  });
}
