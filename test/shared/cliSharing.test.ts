import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { CLI_PATH, cli, cliJson, cliOk } from '../helpers/cli';
import { waitFor } from '../helpers/tempDir';
import { redisTestBed } from '../redis/redisFixtures';
import { freshPlace } from './hybridFixtures';

// The sharing commands as scripts see them: output shapes, exit codes, and never hanging on a
// Redis that does not answer.

const bed = redisTestBed('standalone');

/** A loopback port nothing listens on: connecting is refused at once. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function fakeToken(): string {
  return ['ghp', '_', 'Zq7Lm2Nx8Rt4Vb6Hc1Jd9Kf3Pg5Ws0Ya2Ue7T'.slice(0, 36)].join('');
}

describe('multichat share, pull, sync, status', { timeout: 120_000 }, () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  function place(): { local: string; remote: string; env: NodeJS.ProcessEnv } {
    const fresh = freshPlace(bed);
    cleanups.push(() => fresh.cleanup());
    return { ...fresh, env: { MULTICHAT_REMOTE: fresh.remote, MULTICHAT_AUTHOR: 'ci-bot' } };
  }

  it('shares, lists with the last writer, pulls into another store and syncs', () => {
    const alice = place();
    const bob = { ...place(), remote: alice.remote, env: { MULTICHAT_REMOTE: alice.remote, MULTICHAT_AUTHOR: 'bob' } };
    const id = cliOk(['new', '--title', 'Scripted share'], { store: alice.local, env: alice.env }).trim();
    cliOk(['append', id, '--role', 'user', '--content', 'hello team'], { store: alice.local, env: alice.env });
    assert.match(cliOk(['share', id], { store: alice.local, env: alice.env }), new RegExp(`^shared ${id}\\n$`));
    const listed = cliJson<{ id: string; lastAuthor: string | null; mirrored: string | null; messageCount: number }[]>(['list', '--shared', '--json'], { store: bob.local, env: bob.env });
    assert.deepEqual(listed.map((each) => [each.id, each.lastAuthor, each.mirrored, each.messageCount]), [[id, 'ci-bot', null, 1]]);
    assert.equal(cliOk(['pull', id], { store: bob.local, env: bob.env }), `pulled ${id} (1 messages)\n`);
    cliOk(['append', id, '--role', 'assistant', '--content', 'from bob'], { store: bob.local, env: bob.env });
    assert.equal(cliOk(['sync'], { store: alice.local, env: alice.env }), 'pushed 0, pulled 1, pending 0\n');
    const shown = cliJson<{ messages: { content: string }[] }>(['show', id], { store: alice.local, env: alice.env });
    assert.deepEqual(shown.messages.map((m) => m.content), ['hello team', 'from bob']);
    assert.deepEqual(cliJson(['status', '--json'], { store: alice.local, env: alice.env }), { remote: 'connected', pending: 0, shared: 1, followed: 0 });
    assert.deepEqual(cliJson(['status', '--json'], { store: bob.local, env: bob.env }), { remote: 'connected', pending: 0, shared: 0, followed: 1 });
    assert.equal(cliOk(['unshare', id], { store: alice.local, env: alice.env }), `unshared ${id}\n`);
    assert.deepEqual(cliJson(['list', '--shared', '--json'], { store: bob.local, env: bob.env }), []);
  });

  it('writes succeed at once and stay queued when Redis is unreachable; sync says so with exit 5', async () => {
    const here = place();
    const id = cliOk(['new', '--title', 'Offline share'], { store: here.local, env: here.env }).trim();
    cliOk(['share', id], { store: here.local, env: here.env });
    const offline = { store: here.local, env: { ...here.env, MULTICHAT_REMOTE: `redis://127.0.0.1:${await deadPort()}?prefix=${here.remote.split('prefix=')[1]}` } };
    const started = Date.now();
    const appended = cli(['append', id, '--role', 'user', '--content', 'typed offline'], offline);
    assert.equal(appended.code, 0, appended.stderr);
    assert.ok(Date.now() - started < 8_000, `append took ${Date.now() - started} ms`);
    const sync = cli(['sync'], offline);
    assert.equal(sync.code, 5);
    assert.equal(sync.stdout, 'pushed 0, pulled 0, pending 1\n');
    assert.match(sync.stderr, /unreachable, 1 change\(s\) stay queued/);
    assert.deepEqual(cliJson(['status', '--json'], offline), { remote: 'unreachable', pending: 1, shared: 1, followed: 0 });
    assert.equal(cliOk(['sync'], { store: here.local, env: here.env }), 'pushed 1, pulled 0, pending 0\n');
  });

  it('refuses to share a session holding a credential (exit 3) unless told to redact or allow it', () => {
    const here = place();
    const options = { store: here.local, env: here.env };
    const id = cliOk(['new', '--title', 'Leaky'], options).trim();
    cliOk(['append', id, '--role', 'user', '--content', 'no secret here'], options);
    cliOk(['append', id, '--role', 'user', '--content', `use ${fakeToken()} for the API`], options);
    const refused = cli(['share', id], options);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /message 2 .*GitHub/i);
    assert.ok(!refused.stderr.includes(fakeToken()) && !refused.stdout.includes(fakeToken()), 'the secret is never printed');
    assert.deepEqual(cliJson(['list', '--shared', '--json'], options), []);
    assert.equal(cli(['share', id, '--redact', '--allow-secrets'], options).code, 2);
    cliOk(['share', id, '--redact'], options);
    const other = { ...place(), remote: here.remote };
    cliOk(['pull', id], { store: other.local, env: here.env });
    const team = cliJson<{ messages: { content: string }[] }>(['show', id], { store: other.local, env: here.env });
    assert.match(team.messages[1].content, /^use \[secret redacted: [^\]]+\] for the API$/);
    assert.ok(cliJson<{ messages: { content: string }[] }>(['show', id], options).messages[1].content.includes(fakeToken()), 'the local copy keeps it');
  });

  it('says what is wrong without a remote, or with a bad one, and never prints its password', () => {
    const here = place();
    const noRemote = cli(['sync'], { store: here.local });
    assert.equal(noRemote.code, 2);
    assert.match(noRemote.stderr, /needs the team's Redis: pass --remote/);
    const bad = cli(['status'], { store: here.local, env: { MULTICHAT_REMOTE: 'http://user:hunter2secret@example.com' } });
    assert.equal(bad.code, 2);
    assert.ok(!bad.stderr.includes('hunter2secret'));
    const unknown = cli(['pull', 'no-such-session'], { store: here.local, env: here.env });
    assert.equal(unknown.code, 4);
  });

  it('watch prints the changes that arrive from the team for a followed session', async () => {
    const alice = place();
    const bob = place();
    const id = cliOk(['new', '--title', 'Watched'], { store: alice.local, env: alice.env }).trim();
    cliOk(['share', id], { store: alice.local, env: alice.env });
    cliOk(['pull', id], { store: bob.local, env: alice.env });
    const watcher = spawn(process.execPath, [CLI_PATH, '--store', bob.local, '--remote', alice.remote, 'watch', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    watcher.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    watcher.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    try {
      await waitFor(() => errors.includes('watching'), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      cliOk(['append', id, '--role', 'user', '--content', 'news for bob'], { store: alice.local, env: alice.env });
      await waitFor(() => output.split('\n').some((line) => line.includes(`"sessionId":"${id}"`) && line.includes('"external":true')), 10_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}; watch printed ${JSON.stringify(output)}, said ${JSON.stringify(errors)}`);
    } finally {
      watcher.kill('SIGTERM');
      await once(watcher, 'exit');
    }
  });
});
