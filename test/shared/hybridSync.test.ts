import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { StoreChange } from '../../src/core/store';
import { HybridSessionStore } from '../../src/stores/shared/hybridStore';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { aMessage, aSession, someMessages } from '../helpers/builders';
import { CuttableProxy, startCuttableProxy } from '../helpers/cuttableProxy';
import { makeTempDir, waitFor } from '../helpers/tempDir';
import { RedisServer } from '../helpers/redisServers';
import { redisTestBed } from '../redis/redisFixtures';
import { HybridPlace, freshPlace, openConnected, replicaView } from './hybridFixtures';

// Two editors on one real redis-server: sharing, pulling, live changes, and convergence after one
// of them wrote while its line to Redis was cut.

const bed = redisTestBed('standalone');
const server = (): RedisServer => bed.server() as RedisServer;

describe('hybrid store: sharing between two editors', { timeout: 120_000 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });

  async function editor(place: HybridPlace, author: string, remote = place.remote): Promise<HybridSessionStore> {
    const store = await openConnected(place.local, remote, { author });
    cleanups.push(() => store.close());
    return store;
  }

  function placeFor(remote?: string): HybridPlace {
    const place = freshPlace(bed);
    cleanups.push(() => place.cleanup());
    return remote ? { ...place, remote } : place;
  }

  async function viaProxy(remote: string): Promise<{ proxy: CuttableProxy; spec: string }> {
    const proxy = await startCuttableProxy(server().port);
    cleanups.push(() => proxy.close());
    return { proxy, spec: remote.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${proxy.port}`) };
  }

  async function teamCopy(remote: string, id: string): Promise<unknown> {
    const index = makeTempDir();
    const store = await openRedisStore(remote, { indexDirectory: index.path });
    try {
      return replicaView(await store.get(id));
    } finally {
      await store.close();
      index.cleanup();
    }
  }

  it('shares a session, which a teammate pulls, follows live and adds to', async () => {
    const alicePlace = placeFor();
    const alice = await editor(alicePlace, 'alice');
    const bob = await editor(placeFor(alicePlace.remote), 'bob');
    const session = await alice.create(aSession({ title: 'Pairing' }));
    await alice.appendMessages(session.id, someMessages(2));
    const unshared = await alice.create(aSession({ title: 'Private' }));
    assert.deepEqual(await alice.sharing.share(session.id, 'hold'), { shared: true });
    await waitFor(async () => (await bob.sharing.team()).some((each) => each.summary.id === session.id), 3_000);
    const listed = (await bob.sharing.team()).find((each) => each.summary.id === session.id);
    assert.equal(listed?.lastAuthor, 'alice');
    assert.equal(listed?.summary.messageCount, 2);
    assert.ok(!(await bob.sharing.team()).some((each) => each.summary.id === unshared.id), 'only shared sessions leave the machine');

    await bob.sharing.pull(session.id);
    assert.equal(bob.sharing.modeOf(session.id), 'followed');
    assert.deepEqual(replicaView(await bob.get(session.id)), replicaView(await alice.get(session.id)));

    const heard: StoreChange[] = [];
    bob.onDidChange((change) => heard.push(change));
    await alice.appendMessages(session.id, [aMessage({ content: 'live from alice' })]);
    await waitFor(async () => (await bob.get(session.id))?.messages.at(-1)?.content === 'live from alice', 2_000);
    assert.ok(heard.some((change) => change.kind === 'appended' && change.external), 'the pulled message is an external change');

    await bob.appendMessages(session.id, [aMessage({ content: 'bob answers' })]);
    await waitFor(async () => (await alice.get(session.id))?.messages.at(-1)?.content === 'bob answers', 2_000);
    assert.equal((await alice.get(session.id))?.messages.at(-1)?.author, 'bob');
  });

  it('shares a reorder: the teammate takes the new order, and keeps its own while it waits to be pushed', async () => {
    const alicePlace = placeFor();
    const alice = await editor(alicePlace, 'alice');
    const bob = await editor(placeFor(alicePlace.remote), 'bob');
    const session = await alice.create(aSession({ title: 'Ordered' }));
    const [first, second, third] = await alice.appendMessages(session.id, someMessages(3));
    await alice.sharing.share(session.id, 'hold');
    await waitFor(async () => (await bob.sharing.team()).some((each) => each.summary.id === session.id), 3_000);
    await bob.sharing.pull(session.id);
    const idsOf = async (store: HybridSessionStore) => (await store.get(session.id))?.messages.map((message) => message.id);
    await alice.reorderMessages(session.id, [third.id, first.id]);
    const wanted = [third.id, first.id, second.id];
    assert.deepEqual(await idsOf(alice), wanted);
    await waitFor(async () => JSON.stringify(await idsOf(bob)) === JSON.stringify(wanted), 3_000);
    assert.deepEqual(((await teamCopy(alicePlace.remote, session.id)) as { messages: { id: string }[] }).messages.map((message) => message.id), wanted);
    // Bob reorders in turn; Alice's next pulls take his order, and keep it across her reopen.
    await bob.reorderMessages(session.id, [second.id]);
    const bobs = [second.id, third.id, first.id];
    await waitFor(async () => JSON.stringify(await idsOf(alice)) === JSON.stringify(bobs), 3_000);
    await alice.close();
    const again = await editor(alicePlace, 'alice');
    await again.sharing.pull(session.id);
    assert.deepEqual(await idsOf(again), bobs);
  });

  it('converges when both wrote to one session while one of them was offline', async () => {
    const alicePlace = placeFor();
    const { proxy, spec } = await viaProxy(alicePlace.remote);
    const alice = await editor(alicePlace, 'alice', spec);
    const bob = await editor(placeFor(alicePlace.remote), 'bob');
    const session = await alice.create(aSession({ title: 'Offline', tags: ['start'] }));
    await alice.appendMessages(session.id, [aMessage({ content: 'first' })]);
    await alice.sharing.share(session.id, 'hold');
    assert.equal((await alice.sharing.sync()).pending, 0);
    await bob.sharing.pull(session.id);

    proxy.cut();
    await waitFor(() => alice.sharing.status().remote.state !== 'connected', 3_000);
    await alice.appendMessages(session.id, [aMessage({ content: 'alice offline 1' }), aMessage({ content: 'alice offline 2', role: 'assistant' })]);
    await alice.update(session.id, { title: 'Renamed offline', addTags: ['alice'] });
    await bob.appendMessages(session.id, [aMessage({ content: 'bob online' })]);
    await bob.update(session.id, { pinned: true, addTags: ['bob'], removeTags: ['start'] });
    assert.ok(alice.sharing.status().pending > 0, 'the offline writes wait in the outbox');

    proxy.mend();
    await waitFor(async () => alice.sharing.status().pending === 0, 10_000);
    await bob.sharing.sync();
    await alice.sharing.sync();
    const team = await teamCopy(alicePlace.remote, session.id);
    assert.deepEqual(replicaView(await alice.get(session.id)), team);
    assert.deepEqual(replicaView(await bob.get(session.id)), team);
    const view = team as { title: string; tags: string[]; pinned: boolean; messages: { content: string }[] };
    assert.deepEqual(view.messages.map((m) => m.content), ['first', 'bob online', 'alice offline 1', 'alice offline 2'], 'server order: bob got there first');
    assert.equal(view.title, 'Renamed offline');
    assert.equal(view.pinned, true);
    assert.deepEqual(view.tags, ['alice', 'bob']);
  });

  it('doubles nothing and loses nothing across repeated reconnects', async () => {
    const alicePlace = placeFor();
    const { proxy, spec } = await viaProxy(alicePlace.remote);
    const alice = await editor(alicePlace, 'alice', spec);
    const session = await alice.create(aSession());
    await alice.sharing.share(session.id, 'hold');
    const written: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (let index = 0; index < 6; index++) {
        const [message] = await alice.appendMessages(session.id, [aMessage({ content: `round ${round} message ${index}` })]);
        written.push(message.id);
        if (index === 2) {
          proxy.cut();
        }
      }
      proxy.mend();
      await waitFor(() => alice.sharing.status().remote.state === 'connected', 5_000);
    }
    await waitFor(async () => alice.sharing.status().pending === 0, 10_000);
    const team = (await teamCopy(alicePlace.remote, session.id)) as { messages: { id: string }[] };
    assert.deepEqual(team.messages.map((m) => m.id), written);
    assert.deepEqual(replicaView(await alice.get(session.id)), team);
  });

  it('stops sharing: the team copy goes, every local copy stays', async () => {
    const alicePlace = placeFor();
    const alice = await editor(alicePlace, 'alice');
    const bob = await editor(placeFor(alicePlace.remote), 'bob');
    const session = await alice.create(aSession({ title: 'Short-lived share' }));
    await alice.appendMessages(session.id, someMessages(3));
    await alice.sharing.share(session.id, 'hold');
    await alice.sharing.sync();
    await bob.sharing.pull(session.id);
    assert.equal(alice.sharing.stopSharing(session.id), true);
    await waitFor(async () => alice.sharing.status().pending === 0, 3_000);
    assert.equal(await teamCopy(alicePlace.remote, session.id), undefined);
    await waitFor(() => bob.sharing.modeOf(session.id) === undefined, 5_000);
    assert.equal((await bob.get(session.id))?.messages.length, 3, "the follower keeps its copy");
    assert.equal((await alice.get(session.id))?.messages.length, 3);
    await alice.appendMessages(session.id, [aMessage({ content: 'private again' })]);
    await alice.sharing.sync();
    assert.equal(await teamCopy(alicePlace.remote, session.id), undefined, 'nothing more leaves the machine');
  });

  it('holds back credentials, or redacts them in the team copy only', async () => {
    const place = placeFor();
    const alice = await editor(place, 'alice');
    const token = `ghp_${'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'.slice(0, 36)}`;
    const session = await alice.create(aSession({ title: 'Deploy help' }));
    await alice.appendMessages(session.id, [aMessage({ content: 'hello' }), aMessage({ content: `my token is ${token} ok?` })]);
    const refused = await alice.sharing.share(session.id, 'hold');
    assert.equal(refused.shared, false);
    assert.equal(refused.shared === false && refused.findings[0].index, 2);
    assert.equal(alice.sharing.modeOf(session.id), undefined, 'refused: nothing shared');

    assert.deepEqual(await alice.sharing.share(session.id, 'redact'), { shared: true });
    await alice.sharing.sync();
    const team = (await teamCopy(place.remote, session.id)) as { messages: { content: string }[] };
    assert.ok(!JSON.stringify(team).includes(token), 'the secret stays home');
    assert.match(team.messages[1].content, /^my token is \[secret redacted: [^\]]+\] ok\?$/);
    assert.equal((await alice.get(session.id))?.messages[1].content, `my token is ${token} ok?`, 'the local copy is untouched');
    await alice.sharing.sync();
    assert.equal((await alice.get(session.id))?.messages[1].content, `my token is ${token} ok?`, 'a pull does not bring the marker home');

    const held = await alice.create(aSession({ title: 'Held' }));
    await alice.sharing.share(held.id, 'hold');
    await alice.appendMessages(held.id, [aMessage({ content: 'fine' }), aMessage({ content: `oops ${token}` }), aMessage({ content: 'after' })]);
    const report = await alice.sharing.sync();
    assert.equal(report.held[0]?.sessionId, held.id);
    assert.ok(report.pending > 0);
    const heldTeam = (await teamCopy(place.remote, held.id)) as { messages: { content: string }[] };
    assert.deepEqual(heldTeam.messages.map((m) => m.content), ['fine'], 'nothing from the secret on leaves');
  });

  it('keeps working and queues when Redis is down, and pushes once it is back', async () => {
    const place = placeFor();
    const { proxy, spec } = await viaProxy(place.remote);
    proxy.cut();
    const alice = await editor(place, 'alice', spec);
    assert.equal(alice.sharing.status().remote.state, 'offline');
    const session = await alice.create(aSession({ title: 'Written offline' }));
    await alice.appendMessages(session.id, someMessages(4));
    assert.deepEqual(await alice.sharing.share(session.id, 'hold'), { shared: true });
    await alice.appendMessages(session.id, [aMessage({ content: 'still offline' })]);
    assert.equal(alice.sharing.status().pending, 2);
    proxy.mend();
    await waitFor(async () => alice.sharing.status().remote.state === 'connected' && alice.sharing.status().pending === 0, 15_000);
    assert.deepEqual(await teamCopy(place.remote, session.id), replicaView(await alice.get(session.id)));
  });
});
