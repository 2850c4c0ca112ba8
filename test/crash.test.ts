import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { after, before } from 'node:test';
import { BACKENDS, cli, cliJson, cliOk, spawnCli, useFreshStore } from './helpers/cli';
import { waitFor } from './helpers/tempDir';
import { Tmpfs, mountTmpfs } from './helpers/tmpfs';

/**
 * Kill -9 a writer at random moments: every message it acknowledged must survive, and the store
 * must verify clean afterwards. Messages are ~2 KB so that kills also land mid-write. Each
 * backend is crashed on the usual temp folder and on a tmpfs of the test's own (another file
 * system: page cache only, different block allocation).
 */
const ROUNDS = 12;
const FILLER = 'x'.repeat(2_000);

interface Round {
  acked: string[];
}

async function killWriterAtRandom(store: string, sessionId: string, round: number): Promise<Round> {
  const child = spawnCli(['append', sessionId, '--jsonl'], store);
  const acked: string[] = [];
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    acked.push(...lines.filter((line) => line.length > 0));
  });
  child.stdin!.on('error', () => undefined);
  let sent = 0;
  const feeder = setInterval(() => {
    const batch = Array.from({ length: 20 }, () => JSON.stringify({ role: 'user', content: `round ${round} message ${sent++} ${FILLER}` }));
    child.stdin!.write(`${batch.join('\n')}\n`);
  }, 2);
  // Start-up time varies a lot on a loaded machine, so most rounds first wait for the writer's first
  // acknowledgement and then kill it mid-stream; every fourth round kills at a random start-up moment.
  if (round % 4 !== 3) {
    await waitFor(() => acked.length > 0 || child.exitCode !== null, 20_000).catch(() => undefined);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
  child.kill('SIGKILL');
  await once(child, 'exit');
  clearInterval(feeder);
  return { acked };
}

let tmpfs: Tmpfs | undefined;
const places: { name: string; under: (() => string) | undefined }[] = [
  { name: 'the temp folder', under: undefined },
  { name: 'a tmpfs', under: () => tmpfs!.path },
];

for (const place of places) {
  for (const backend of BACKENDS) {
    crashRounds(backend, place);
  }
}

function crashRounds(backend: (typeof BACKENDS)[number], place: (typeof places)[number]): void {
  describe(`kill -9 during appends on ${backend}, in ${place.name}`, () => {
    if (place.under) {
      before(() => (tmpfs = mountTmpfs({ size: '256m' })));
      after(() => tmpfs?.unmount());
    }
    const fresh = useFreshStore(backend, place.under);

    it('keeps every acknowledged message and verifies clean', async () => {
      const sessionId = cliOk(['new', '--title', 'crash target'], { store: fresh.spec }).trim();
      const everAcked: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const { acked } = await killWriterAtRandom(fresh.spec, sessionId, round);
        everAcked.push(...acked);
        const shown = cliJson<{ messages: { id: string }[] }>(['show', sessionId], { store: fresh.spec });
        const present = new Set(shown.messages.map((m) => m.id));
        const lost = everAcked.filter((id) => !present.has(id));
        assert.deepEqual(lost, [], `round ${round}: acknowledged messages lost`);
        const verify = cli(['verify'], { store: fresh.spec });
        assert.equal(verify.code, 0, `round ${round}: verify reported ${verify.stdout}${verify.stderr}`);
      }
      assert.ok(everAcked.length > ROUNDS, `the writer acknowledged messages before being killed (${everAcked.length})`);
      const appendAfter = cliOk(['append', sessionId, '--role', 'user', '--content', 'after the crashes'], { store: fresh.spec }).trim();
      const final = cliJson<{ messages: { id: string }[] }>(['show', sessionId], { store: fresh.spec });
      assert.equal(final.messages.at(-1)?.id, appendAfter);
    });
  });
}
