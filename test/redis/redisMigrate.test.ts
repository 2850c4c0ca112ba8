import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Session } from '../../src/core/model';
import { openStore } from '../../src/stores/openStore';
import { cli, cliOk } from '../helpers/cli';
import { makeTempDir } from '../helpers/tempDir';
import { redisTestBed } from './redisFixtures';

// migrate --to works between every pair of JSON, SQLite and Redis (standalone and cluster): a
// store carried round all of them, through the real CLI, comes back identical, and a second run
// changes nothing.

interface Bundle {
  sessions: Session[];
}

describe('migrate between JSON, SQLite and Redis', { timeout: 120_000 }, () => {
  const standalone = redisTestBed('standalone');
  const cluster = redisTestBed('cluster');
  const temp = makeTempDir();
  const env = { XDG_CACHE_HOME: join(temp.path, 'cache') };
  after(() => temp.cleanup());

  const exported = (store: string): Session[] =>
    (JSON.parse(cliOk(['export'], { store, env })) as Bundle).sessions.sort((a, b) => a.id.localeCompare(b.id));

  it('carries every session round JSON → Redis → SQLite → Redis Cluster → JSON unchanged', async () => {
    const origin = `json:${join(temp.path, 'origin')}`;
    await seed(origin);
    const before = exported(origin);
    const route = [standalone.spec(), `sqlite:${join(temp.path, 'copy.sqlite')}`, cluster.spec(), `json:${join(temp.path, 'back')}`];
    let from = origin;
    for (const to of route) {
      const result = cli(['migrate', '--to', to, '--json'], { store: from, env });
      assert.equal(result.code, 0, `${from} → ${to}: ${result.stderr}`);
      assert.deepEqual(JSON.parse(result.stdout), { imported: before.length, updated: 0, unchanged: 0 }, `${from} → ${to}`);
      assert.deepEqual(exported(to), before, `the copy in ${to} equals the origin`);
      from = to;
    }
    const again = cli(['migrate', '--to', route[0], '--json'], { store: origin, env });
    assert.deepEqual(JSON.parse(again.stdout), { imported: 0, updated: 0, unchanged: before.length });
    assert.deepEqual(JSON.parse(cliOk(['search', 'ünïcödé', '--json'], { store: route[2], env })).length, 1, 'the cluster copy is searchable');
  });

  it('refuses to migrate a Redis namespace onto itself', () => {
    const spec = standalone.spec();
    const result = cli(['migrate', '--to', spec], { store: spec, env });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /the target store is the source store/);
  });
});

/** Sessions with every kind of field: tags, a pin, a placeholder title, a streamed reply, odd text. */
async function seed(spec: string): Promise<void> {
  const store = await openStore(spec);
  try {
    await store.create({ title: 'Tagged and pinned', tags: ['work', 'redis'], pinned: true, messages: [{ role: 'user', content: 'first' }] });
    const untitled = await store.create({});
    await store.appendMessages(untitled.id, [{ role: 'assistant', content: 'no title from me' }]);
    const streamed = await store.create({ title: 'Streamed', createdAt: '2024-02-03T04:05:06.000Z' });
    const [reply] = await store.appendMessages(streamed.id, [{ role: 'assistant', content: 'par', incomplete: true, model: 'gpt-x' }]);
    await store.updateMessage(streamed.id, reply.id, { content: 'partial, then whole', incomplete: false });
    await store.create({ title: 'Odd text', messages: [{ role: 'user', content: 'line\r\n\t"q" \\ <b> ünïcödé 🚀 \u2028 end', author: 'ana' }] });
    for (let index = 0; index < 20; index++) {
      await store.create({ title: `Bulk ${index}`, messages: [{ role: 'user', content: `question ${index}` }, { role: 'assistant', content: `answer ${index}` }] });
    }
  } finally {
    await store.close();
  }
}
