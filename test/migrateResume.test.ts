import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../src/stores/openStore';
import { cli, cliJson, cliOk, spawnCli } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';

// `multichat migrate` as a user runs it: killed with -9 half way, then run again; and run again
// after someone changed the copy.
const SESSIONS = 2_000;

async function fillSource(spec: string): Promise<void> {
  const store = await openStore(spec);
  try {
    for (let index = 0; index < SESSIONS; index++) {
      await store.create({ title: `session ${index}`, messages: [{ role: 'user', content: `question ${index}` }, { role: 'assistant', content: `answer ${index} ${'x'.repeat(index % 300)}` }] });
    }
  } finally {
    await store.close();
  }
}

/** Starts a migrate and kills it with SIGKILL once it has said it copied the first 500 sessions. */
function migrateUntilKilled(source: string, target: string): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawnCli(['migrate', '--to', target], source);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/copied and checked 500 of/.test(stderr)) {
      child.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ signal, stderr })));
}

function countsOf(output: string): { imported: number; updated: number; unchanged: number } {
  const match = /imported (\d+), updated (\d+), unchanged (\d+)/.exec(output);
  assert.ok(match, output);
  return { imported: Number(match[1]), updated: Number(match[2]), unchanged: Number(match[3]) };
}

describe('migrate, interrupted and checked', () => {
  const temp = makeTempDir('multichat-migrate-');
  const source = `json:${join(temp.path, 'source')}`;

  before(() => fillSource(source));
  after(() => temp.cleanup());

  for (const kind of ['json', 'sqlite'] as const) {
    it(`copies only what is missing when run again after a kill -9 (to ${kind})`, async () => {
      const target = kind === 'json' ? `json:${join(temp.path, 'resumed')}` : `sqlite:${join(temp.path, 'resumed.sqlite')}`;
      const killed = await migrateUntilKilled(source, target);
      assert.equal(killed.signal, 'SIGKILL', `the first run was to be killed, but it ended: ${killed.stderr}`);
      const second = cli(['migrate', '--to', target], { store: source });
      assert.equal(second.code, 0, second.stderr);
      const counts = countsOf(second.stdout);
      assert.equal(counts.imported + counts.updated + counts.unchanged, SESSIONS);
      assert.ok(counts.unchanged >= 500, `the sessions copied before the kill are not copied again: ${second.stdout}`);
      assert.ok(counts.imported > 0 && counts.imported + counts.updated <= SESSIONS - 500, `the rest are: ${second.stdout}`);
      assert.match(second.stderr, /^migrate: the target matches the source: 2000 sessions, their message counts and content hashes$/m);
      assert.deepEqual(cliJson(['list', '--json'], { store: target }), cliJson(['list', '--json'], { store: source }));
      assert.equal(countsOf(cliOk(['migrate', '--to', target], { store: source })).unchanged, SESSIONS);
    });
  }

  it('fails naming the sessions when the copy was changed behind its back', () => {
    const target = `json:${join(temp.path, 'tampered')}`;
    cliOk(['migrate', '--to', target], { store: source });
    const [first, second] = cliJson<{ id: string }[]>(['list', '--json', '--limit', '2'], { store: source }).map((summary) => summary.id);
    // One copy's message edited on disk (same length), another given a message the source lacks.
    const file = join(temp.path, 'tampered', `${first}.jsonl`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"content":"question /, '"content":"QUESTION '));
    cliOk(['append', second, '--role', 'user', '--content', 'only in the copy'], { store: target });
    const result = cli(['migrate', '--to', target], { store: source });
    assert.equal(result.code, 5, result.stderr);
    const line = result.stderr.trim().split('\n').at(-1) ?? '';
    assert.match(line, /^multichat: the copy does not match its source: 2 sessions differ: /);
    assert.match(line, new RegExp(`${first} \\(content hash [0-9a-f]{12} in the target, [0-9a-f]{12} in the source\\)`));
    assert.match(line, new RegExp(`${second} \\(2 messages in the source, 3 in the target\\)`));
  });
});
