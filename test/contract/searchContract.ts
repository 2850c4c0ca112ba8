import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SearchHit } from '../../src/core/store';
import { aSession } from '../helpers/builders';
import { rejectsWith } from '../helpers/stores';
import { ContractStores } from './sessionTimeContract';

// Part of the storage contract: what search matches and how it ranks, the same on every backend
// (core/search.ts and core/textSearch/ hold the rule). Run by sessionStoreContract.

function ids(hits: readonly SearchHit[]): string[] {
  return hits.map((hit) => hit.sessionId);
}

function marked(hit: SearchHit | undefined): string[] {
  return (hit?.marks ?? []).map(([start, end]) => hit?.snippet.slice(start, end) ?? '');
}

export function searchContract(stores: ContractStores): void {
  describe('search semantics', () => {
    it('matches whole words, and the last word as the start of a word while it is typed', async () => {
      const store = stores.store();
      const deploy = await store.create(aSession({ title: 'One', messages: [{ role: 'user', content: 'Deployment failed on staging' }] }));
      const exact = await store.create(aSession({ title: 'Two', messages: [{ role: 'user', content: 'deploy the staging box' }] }));
      assert.deepEqual(ids(await store.search('deploy ')).sort(), [exact.id]);
      assert.deepEqual(ids(await store.search('deploy')).sort(), [deploy.id, exact.id].sort());
      assert.deepEqual(ids(await store.search('deploy staging ')).sort(), [exact.id]);
      assert.deepEqual(ids(await store.search('staging depl')).sort(), [deploy.id, exact.id].sort());
      assert.deepEqual(await store.search('ploy '), []);
    });

    it('finds phrases in quotes only with their words side by side', async () => {
      const store = stores.store();
      const together = await store.create(aSession({ title: 'A', messages: [{ role: 'user', content: 'the connection pool is exhausted' }] }));
      await store.create(aSession({ title: 'B', messages: [{ role: 'user', content: 'the pool of connection handlers' }] }));
      const dotted = await store.create(aSession({ title: 'C', messages: [{ role: 'user', content: 'see config.yaml for the pool' }] }));
      assert.deepEqual(ids(await store.search('"connection pool"')), [together.id]);
      assert.deepEqual(ids(await store.search('"Connection Pool" exhausted')), [together.id]);
      assert.deepEqual(ids(await store.search('config.yaml')), [dotted.id]);
      const [hit] = await store.search('"connection pool"');
      assert.deepEqual(marked(hit), ['connection pool']);
    });

    it('marks every match in the snippet, as written', async () => {
      const store = stores.store();
      await store.create(aSession({ title: 'Marks', messages: [{ role: 'assistant', content: 'Redis timeout: raise the REDIS timeout to 5s' }] }));
      const [hit] = await store.search('redis timeout');
      assert.deepEqual(marked(hit), ['Redis', 'timeout', 'REDIS', 'timeout']);
    });

    it('applies tag, source, role and date filters', async () => {
      const store = stores.store();
      const tagged = await store.create(aSession({ title: 'Tagged', tags: ['ci'], messages: [{ role: 'user', content: 'flaky pipeline', createdAt: '2026-03-02T10:00:00.000Z' }] }));
      const other = await store.create(aSession({ title: 'Untagged', messages: [{ role: 'assistant', content: 'flaky pipeline again', createdAt: '2026-05-02T10:00:00.000Z' }] }));
      assert.deepEqual(ids(await store.search('flaky tag:ci')), [tagged.id]);
      assert.deepEqual(ids(await store.search('flaky role:assistant')), [other.id]);
      assert.deepEqual(ids(await store.search('flaky after:2026-04-01')), [other.id]);
      assert.deepEqual(ids(await store.search('flaky before:2026-04-01')), [tagged.id]);
      assert.deepEqual(ids(await store.search('flaky source:multichat')).sort(), [tagged.id, other.id].sort());
      assert.deepEqual(await store.search('flaky source:copilot'), []);
      await rejectsWith(store.search('flaky after:2026-13-01'), 'invalid-input');
      await rejectsWith(store.search('tag:ci'), 'invalid-input');
    });

    it('ranks title matches first, then more matching messages, then the latest', async () => {
      const store = stores.store();
      const many = await store.create(aSession({ title: 'Many', messages: [{ role: 'user', content: 'cache miss' }, { role: 'user', content: 'another cache miss' }] }));
      const titled = await store.create(aSession({ title: 'Cache problems', messages: [{ role: 'user', content: 'nothing here' }] }));
      const one = await store.create(aSession({ title: 'One', messages: [{ role: 'user', content: 'a cache miss' }] }));
      const hits = await store.search('cache');
      assert.deepEqual(ids(hits), [titled.id, many.id, one.id]);
      assert.equal(hits[0].messageId, null);
    });

    it('folds case and accents', async () => {
      const store = stores.store();
      const cafe = await store.create(aSession({ title: 'Notes', messages: [{ role: 'user', content: 'Meet at the CAFÉ near Zürich' }] }));
      assert.deepEqual(ids(await store.search('café zürich')), [cafe.id]);
      assert.deepEqual(ids(await store.search('cafe zurich')), [cafe.id]);
      assert.deepEqual(marked((await store.search('cafe'))[0]), ['CAFÉ']);
    });
  });
}
