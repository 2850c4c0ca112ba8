import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyStore } from '../../src/core/verifyStore';
import { GARBAGE, GarbageRecipe } from './garbageRecipes';
import { GarbageScene, makeScene } from './garbageScene';
import { redisTestBed } from './redisFixtures';

// verify finds each kind of garbage (a problem naming its key: exit 1), and --repair moves what is
// malformed aside into the bucket's quarantine — never deleting it — and rebuilds summaries and
// indexes, so a second verify is clean and every other session is as it was. The CLI's verify,
// warnings about the server and least privilege are in redisVerifyCli.test.ts.

async function snapshot(scene: GarbageScene): Promise<unknown> {
  return Promise.all(scene.bystanders.map((id) => scene.store.get(id)));
}

async function checkRepaired(scene: GarbageScene, recipe: GarbageRecipe): Promise<void> {
  const victim = await scene.store.get(scene.victim.id);
  assert.equal(victim?.messages.length, recipe.repairedMessages, 'what repair kept of the victim');
  assert.deepEqual(
    victim.messages.map((message) => message.id),
    ['m1', 'm2', 'm3'].filter((id) => victim.messages.some((message) => message.id === id)),
    'in their order',
  );
  const listed = await scene.store.list();
  assert.equal(listed.find((summary) => summary.id === scene.victim.id)?.messageCount, recipe.repairedMessages, 'listed again, counted right');
  assert.ok((await scene.store.list({ limit: 50 })).some((summary) => summary.id === scene.victim.id), 'on the first page');
  if (recipe.quarantined !== undefined) {
    const kept = await scene.quarantined();
    assert.ok(kept.includes(recipe.quarantined), `the quarantine keeps ${recipe.quarantined}:\n${kept.slice(0, 2_000)}`);
    assert.doesNotMatch(kept, /ttl [0-9]/, 'quarantined keys never expire');
  }
}

describe('verify and verify --repair on a Redis namespace', { timeout: 60_000 }, () => {
  const bed = redisTestBed('standalone');

  it('finds nothing wrong in a healthy namespace, and repair then changes nothing', async () => {
    const scene = await makeScene(bed);
    try {
      assert.deepEqual((await scene.store.verify()).problems, []);
      assert.deepEqual(await verifyStore(scene.store, true).then((report) => [report.problems, report.repairs]), [[], []]);
    } finally {
      await scene.close();
    }
  });

  for (const recipe of GARBAGE) {
    it(`reports ${recipe.name}, and repair leaves a namespace that verifies clean`, async () => {
      const scene = await makeScene(bed);
      try {
        const before = await snapshot(scene);
        await recipe.write(scene);
        const found = await scene.store.verify();
        const where = recipe.problem(scene);
        assert.ok(found.problems.some((problem) => problem.where.includes(where)), `a problem names ${where}: ${JSON.stringify(found.problems)}`);
        const repaired = await verifyStore(scene.store, true);
        assert.ok(repaired.repairs.length > 0, 'repair says what it did');
        assert.deepEqual(repaired.problems, [], `repair left problems: ${JSON.stringify(repaired)}`);
        assert.deepEqual((await scene.store.verify()).problems, []);
        assert.deepEqual(await snapshot(scene), before, 'every other session is as it was');
        await checkRepaired(scene, recipe);
      } finally {
        await scene.close();
      }
    });
  }

  it('finds nothing wrong, and repairs nothing, while clients create, append to and delete sessions', async () => {
    const scene = await makeScene(bed);
    try {
      let writing = true;
      const writer = (async () => {
        for (let round = 0; writing; round++) {
          const { id } = await scene.store.create({ title: `busy ${round}`, messages: [{ role: 'user', content: 'first' }] });
          await scene.store.appendMessages(scene.bystanders[round % scene.bystanders.length], [{ role: 'user', content: `more ${round}` }]);
          await scene.store.update(id, { addTags: ['busy'] });
          if (round % 2 === 0) {
            await scene.store.delete(id);
          }
        }
      })();
      try {
        for (let pass = 0; pass < 6; pass++) {
          const report = await scene.store.verify({ repair: pass % 2 === 1 });
          assert.deepEqual([report.problems, report.repairs], [[], []], `pass ${pass}`);
        }
      } finally {
        writing = false;
        await writer;
      }
    } finally {
      await scene.close();
    }
  });

  it('says the creation key and the message count point at eviction, with noeviction as the remedy', async () => {
    const scene = await makeScene(bed);
    try {
      await scene.redis('DEL', scene.victim.keys.messages, scene.victim.keys.order, scene.victim.keys.creation);
      const { problems } = await scene.store.verify();
      assert.equal(problems.length, 2, JSON.stringify(problems));
      for (const problem of problems) {
        assert.equal(problem.sessionId, scene.victim.id);
        assert.match(problem.what, /evicting Redis .*maxmemory-policy noeviction/);
      }
    } finally {
      await scene.close();
    }
  });

  it('gives every session of a bucket whose summaries were overwritten its summary back, named by its first user message', async () => {
    const scene = await makeScene(bed);
    try {
      await scene.redis('DEL', scene.victim.keys.summaries);
      await scene.redis('SET', scene.victim.keys.summaries, 'overwritten');
      await verifyStore(scene.store, true);
      const summary = (await scene.store.list()).find((each) => each.id === scene.victim.id);
      assert.equal(summary?.title, 'first question about the zebra');
      assert.equal(summary?.messageCount, 3);
    } finally {
      await scene.close();
    }
  });
});

describe('verify and verify --repair on a Redis cluster', { timeout: 60_000 }, () => {
  const bed = redisTestBed('cluster');
  const onCluster = ['a summary that is not JSON', 'a hash where the order list should be', 'a string where the summaries hash should be', 'change-feed entries the store did not write', 'a session whose messages and order were evicted'];

  for (const recipe of GARBAGE.filter((each) => onCluster.includes(each.name))) {
    it(`reports ${recipe.name} and repairs it, each script on the bucket's own slot`, async () => {
      const scene = await makeScene(bed);
      try {
        await recipe.write(scene);
        const found = await scene.store.verify();
        assert.ok(found.problems.some((problem) => problem.where.includes(recipe.problem(scene))), JSON.stringify(found.problems));
        assert.deepEqual(found.warnings, [], 'every master runs with AOF and noeviction');
        assert.deepEqual((await verifyStore(scene.store, true)).problems, []);
        await checkRepaired(scene, recipe);
      } finally {
        await scene.close();
      }
    });
  }
});
