import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isMultichatError } from '../../src/core/errors';
import { cli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tempDir';
import { GARBAGE } from './garbageRecipes';
import { GarbageScene, WORD, makeScene } from './garbageScene';
import { redisTestBed } from './redisFixtures';

// Garbage written with redis-cli under the namespace never breaks reading: list (whole and first
// page), get and search keep answering for every other session, and the bad record is left out
// with a 'corrupt' warning naming its key (the CLI says it on stderr). Verify's side is in
// redisVerify.test.ts.

async function readEverything(scene: GarbageScene): Promise<void> {
  const listed = (await scene.store.list()).map((summary) => summary.id);
  const firstPage = (await scene.store.list({ limit: 50 })).map((summary) => summary.id);
  const found = new Set((await scene.store.search(WORD)).map((hit) => hit.sessionId));
  await scene.store.get(scene.victim.id);
  for (const id of scene.bystanders) {
    assert.ok(listed.includes(id), `list still lists ${id}`);
    assert.ok(firstPage.includes(id), `the first page still lists ${id}`);
    assert.ok(found.has(id), `search still finds ${id}`);
    assert.deepEqual((await scene.store.get(id))?.messages.map((message) => message.content), [`a ${WORD} for ${id}`]);
  }
}

/** Writes to the bystanders still work; one to the victim works or fails as a MultichatError, never as a crash. */
async function writeAround(scene: GarbageScene): Promise<void> {
  for (const id of scene.bystanders) {
    await scene.store.appendMessages(id, [{ role: 'assistant', content: 'written after the garbage' }]);
    await scene.store.update(id, { addTags: ['after'] });
  }
  await scene.store.appendMessages(scene.victim.id, [{ role: 'user', content: 'one more' }]).catch((error: unknown) => {
    assert.ok(isMultichatError(error), `a write meeting garbage fails plainly, not with ${String(error)}`);
  });
}

describe('Redis store reading garbage written with redis-cli', { timeout: 60_000 }, () => {
  const bed = redisTestBed('standalone');

  for (const recipe of GARBAGE.filter((each) => each.warning !== undefined)) {
    it(`reads everything else around ${recipe.name}, warning with the key`, async () => {
      const scene = await makeScene(bed);
      try {
        await recipe.write(scene);
        await readEverything(scene);
        await writeAround(scene);
        const where = recipe.warning!(scene);
        const warned = scene.warnings.filter((warning) => warning.kind === 'corrupt' && warning.where.includes(where));
        assert.ok(warned.length > 0, `a warning names ${where}; got ${JSON.stringify(scene.warnings)}`);
      } finally {
        await scene.close();
      }
    });
  }

  it('reads a session whose messages were evicted as empty, warning that its summary counts more', async () => {
    const scene = await makeScene(bed);
    try {
      await scene.redis('DEL', scene.victim.keys.messages, scene.victim.keys.order);
      assert.deepEqual((await scene.store.get(scene.victim.id))?.messages, []);
      assert.ok(scene.warnings.some((warning) => /counts 3 messages/.test(warning.what)));
    } finally {
      await scene.close();
    }
  });

  it('warns again about the same damage written again after a repair', async () => {
    const scene = await makeScene(bed);
    const recipe = GARBAGE.find((each) => each.name === 'a summary that is not JSON')!;
    const corrupt = () => scene.warnings.filter((warning) => warning.kind === 'corrupt').length;
    try {
      await recipe.write(scene);
      await scene.store.list();
      const first = corrupt();
      assert.ok(first > 0, `the damage is warned about; got ${JSON.stringify(scene.warnings)}`);
      await scene.store.list();
      assert.equal(corrupt(), first, 'the same damage, read again, is not news');
      assert.deepEqual((await scene.store.verify({ repair: true })).problems.length > 0, true);
      await recipe.write(scene);
      // The first page reads the summaries afresh (a whole listing keeps what it read until the feed says otherwise).
      await scene.store.list({ limit: 50 });
      assert.ok(corrupt() > first, `damage found after the repair is news; got ${JSON.stringify(scene.warnings)}`);
    } finally {
      await scene.close();
    }
  });

  describe('through the CLI', () => {
    const cache = makeTempDir('multichat-cache-');
    after(() => cache.cleanup());

    it('lists, shows and searches around a bucket whose summaries are a string, saying so on stderr', async () => {
      const scene = await makeScene(bed);
      try {
        await scene.redis('DEL', scene.victim.keys.summaries);
        await scene.redis('SET', scene.victim.keys.summaries, 'garbage');
        const env = { XDG_CACHE_HOME: cache.path };
        const listed = cli(['list', '--json'], { store: scene.spec, env });
        assert.equal(listed.code, 0, listed.stderr);
        const ids = (JSON.parse(listed.stdout) as { id: string }[]).map((summary) => summary.id);
        assert.deepEqual(ids.sort(), [...scene.bystanders].sort());
        assert.match(listed.stderr, new RegExp(`^multichat: warning: redis ${escape(scene.victim.keys.summaries)}: is a string, not a hash`, 'm'));
        const searched = cli(['search', WORD, '--json'], { store: scene.spec, env });
        assert.equal(searched.code, 0, searched.stderr);
        assert.equal(new Set((JSON.parse(searched.stdout) as { sessionId: string }[]).map((hit) => hit.sessionId)).size, scene.bystanders.length);
        const shown = cli(['show', scene.bystanders[0]], { store: scene.spec, env });
        assert.equal(shown.code, 0, shown.stderr);
        const victim = cli(['show', scene.victim.id], { store: scene.spec, env });
        assert.equal(victim.code, 4, 'the victim cannot be read: no such session');
        assert.match(victim.stderr, /multichat: warning: redis .*:summaries: is a string, not a hash/);
      } finally {
        await scene.close();
      }
    });

    it('shows a session around a message that is not JSON, naming the field on stderr', async () => {
      const scene = await makeScene(bed);
      try {
        await scene.redis('HSET', scene.victim.keys.messages, 'm2', 'not json');
        const shown = cli(['show', scene.victim.id], { store: scene.spec, env: { XDG_CACHE_HOME: cache.path } });
        assert.equal(shown.code, 0, shown.stderr);
        assert.deepEqual((JSON.parse(shown.stdout) as { messages: { id: string }[] }).messages.map((message) => message.id), ['m1', 'm3']);
        assert.match(shown.stderr, new RegExp(`multichat: warning: redis ${escape(scene.victim.keys.messages)} field m2: the message is not valid JSON`));
      } finally {
        await scene.close();
      }
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
