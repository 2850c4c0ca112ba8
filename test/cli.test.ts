import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS, cli, cliJson, cliOk, useFreshStore } from './helpers/cli';

interface Summary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string;
  untitled: boolean;
  messageCount: number;
  tags: string[];
  pinned: boolean;
}

for (const backend of BACKENDS) {
  describe(`multichat CLI on ${backend}`, () => {
    const fresh = useFreshStore(backend);

    it('creates, appends, lists and shows sessions in the documented formats', () => {
      const id = cliOk(['new', '--title', 'Fix\tthe build', '--tag', 'ci', '--tag', 'urgent'], { store: fresh.spec }).trim();
      assert.match(id, /^[A-Za-z0-9_-]+$/);
      const messageId = cliOk(['append', id, '--role', 'user', '--content', 'Why is **CI** red?'], { store: fresh.spec }).trim();
      assert.match(messageId, /^[A-Za-z0-9_-]+$/);
      const line = cliOk(['list'], { store: fresh.spec }).trimEnd();
      const [listedId, lastMessageAt, count, title] = line.split('\t');
      assert.deepEqual([listedId, count, title], [id, '1', 'Fix the build']);
      assert.match(lastMessageAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const [summary] = cliJson<Summary[]>(['list', '--json'], { store: fresh.spec });
      assert.deepEqual(Object.keys(summary).sort(), ['createdAt', 'id', 'lastMessageAt', 'messageCount', 'pinned', 'tags', 'title', 'untitled', 'updatedAt']);
      assert.equal(summary.lastMessageAt, lastMessageAt, 'the text list shows the time it sorts by');
      assert.deepEqual(summary.tags, ['ci', 'urgent']);
      const shown = cliJson<Summary & { messages: { id: string; role: string; content: string; createdAt: string }[] }>(['show', id, '--format', 'json'], { store: fresh.spec });
      assert.deepEqual(shown.messages.map((m) => [m.id, m.role, m.content]), [[messageId, 'user', 'Why is **CI** red?']]);
      assert.deepEqual(Object.keys(shown.messages[0]).sort(), ['content', 'createdAt', 'id', 'role']);
      const markdown = cliOk(['show', id, '--format', 'markdown'], { store: fresh.spec });
      assert.match(markdown, /^# Fix\tthe build/m);
      assert.match(markdown, /Why is \*\*CI\*\* red\?/);
    });

    it('prints the summary of a new session with --json', () => {
      const summary = cliJson<Summary>(['new', '--title', 'JSON please', '--json'], { store: fresh.spec });
      assert.equal(summary.title, 'JSON please');
      assert.equal(summary.messageCount, 0);
    });

    it('renames, tags, pins, unpins and deletes', () => {
      const id = cliOk(['new', '--title', 'Old title', '--tag', 'a'], { store: fresh.spec }).trim();
      cliOk(['rename', id, 'New title'], { store: fresh.spec });
      cliOk(['tag', id, '--add', 'b', '--add', 'c', '--remove', 'a'], { store: fresh.spec });
      cliOk(['pin', id], { store: fresh.spec });
      let [summary] = cliJson<Summary[]>(['list', '--json'], { store: fresh.spec });
      assert.deepEqual([summary.title, summary.tags, summary.pinned], ['New title', ['b', 'c'], true]);
      cliOk(['unpin', id], { store: fresh.spec });
      [summary] = cliJson<Summary[]>(['list', '--json'], { store: fresh.spec });
      assert.equal(summary.pinned, false);
      assert.deepEqual(cliJson<Summary[]>(['list', '--tag', 'b', '--json'], { store: fresh.spec }).length, 1);
      assert.deepEqual(cliJson<Summary[]>(['list', '--tag', 'a', '--json'], { store: fresh.spec }).length, 0);
      cliOk(['delete', id], { store: fresh.spec });
      assert.equal(cliOk(['list'], { store: fresh.spec }), '');
      assert.equal(cli(['delete', id], { store: fresh.spec }).code, 4);
    });

    it('lists latest message first, whatever was tidied since, and honours --limit', () => {
      const first = cliOk(['new', '--title', 'first'], { store: fresh.spec }).trim();
      const second = cliOk(['new', '--title', 'second'], { store: fresh.spec }).trim();
      cliOk(['append', first, '--role', 'user', '--content', 'bump'], { store: fresh.spec });
      cliOk(['rename', second, 'second, renamed'], { store: fresh.spec });
      cliOk(['tag', second, '--add', 'tidy'], { store: fresh.spec });
      cliOk(['pin', second], { store: fresh.spec });
      const listed = cliJson<Summary[]>(['list', '--json'], { store: fresh.spec });
      assert.deepEqual(listed.map((s) => s.id), [first, second]);
      const shown = cliJson<{ messages: { createdAt: string }[] }>(['show', first], { store: fresh.spec });
      assert.equal(listed[0].lastMessageAt, shown.messages[0].createdAt);
      assert.ok(listed[1].updatedAt > listed[1].lastMessageAt, 'updatedAt still records the tidying');
      assert.deepEqual(cliJson<Summary[]>(['list', '--json', '--limit', '1'], { store: fresh.spec }).map((s) => s.id), [first]);
    });

    it('names a session created without --title after its first user message', () => {
      const created = cliJson<Summary>(['new', '--json'], { store: fresh.spec });
      assert.deepEqual([created.title, created.untitled], ['New session', true]);
      cliOk(['append', created.id, '--role', 'user', '--content', '# Speed up the *nightly* build\nIt takes an hour.'], { store: fresh.spec });
      cliOk(['append', created.id, '--role', 'user', '--content', 'Another question'], { store: fresh.spec });
      const [summary] = cliJson<Summary[]>(['list', '--json'], { store: fresh.spec });
      assert.deepEqual([summary.title, summary.untitled], ['Speed up the nightly build', false]);
      const renamed = cliJson<Summary>(['new', '--json'], { store: fresh.spec });
      cliOk(['rename', renamed.id, 'Mine'], { store: fresh.spec });
      cliOk(['append', renamed.id, '--role', 'user', '--content', 'Not the title'], { store: fresh.spec });
      assert.equal(cliJson<Summary>(['show', renamed.id], { store: fresh.spec }).title, 'Mine');
    });

    it('searches titles and messages, best first', () => {
      const titled = cliOk(['new', '--title', 'Postgres vacuum tuning'], { store: fresh.spec }).trim();
      const other = cliOk(['new', '--title', 'Misc'], { store: fresh.spec }).trim();
      const messageId = cliOk(['append', other, '--role', 'assistant', '--content', 'Run VACUUM on postgres nightly'], { store: fresh.spec }).trim();
      const hits = cliJson<{ sessionId: string; messageId: string | null; title: string; snippet: string }[]>(['search', 'postgres', 'vacuum', '--json'], { store: fresh.spec });
      assert.deepEqual(hits.map((h) => [h.sessionId, h.messageId]), [[titled, null], [other, messageId]]);
      assert.equal(cliJson<unknown[]>(['search', 'postgres', '--limit', '1', '--json'], { store: fresh.spec }).length, 1);
      assert.match(cliOk(['search', 'nightly'], { store: fresh.spec }), new RegExp(`^${other}\t${messageId}\tMisc\t`));
    });

    it('uses MULTICHAT_STORE when --store is absent', () => {
      const id = cliOk(['new', '--title', 'From env'], { env: { MULTICHAT_STORE: fresh.spec } }).trim();
      assert.equal(cliOk(['list'], { store: fresh.spec }).split('\t')[0], id);
    });

    it('exits with the documented codes and one clear line on stderr', () => {
      const usage = cli(['new', '--title'], { store: fresh.spec });
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /^multichat: .*--title/);
      assert.equal(cli(['frobnicate'], { store: fresh.spec }).code, 2);
      assert.equal(cli(['list', '--limit', 'zero'], { store: fresh.spec }).code, 2);
      assert.equal(cli(['show', 'nope', '--format', 'yaml'], { store: fresh.spec }).code, 2);
      const missing = cli(['show', 'no-such-id'], { store: fresh.spec });
      assert.equal(missing.code, 4);
      assert.equal(missing.stderr, 'multichat: no such session: no-such-id\n');
      assert.equal(cli(['append', 'no-such-id', '--role', 'user', '--content', 'x'], { store: fresh.spec }).code, 4);
      const invalid = cli(['new', '--title', '   '], { store: fresh.spec });
      assert.equal(invalid.code, 3);
      assert.match(invalid.stderr, /^multichat: invalid session: title/);
      assert.equal(cli(['new', '--title', 'x', '--tag', 'two words'], { store: fresh.spec }).code, 3);
      assert.equal(cli(['search', ' '], { store: fresh.spec }).code, 3);
      assert.equal(cli(['list'], { store: 'ftp:/nowhere' }).code, 2);
      assert.equal(cliOk(['list'], { store: fresh.spec }), '', 'failed commands changed nothing');
    });

    it('offers --help on every command', () => {
      for (const command of ['new', 'append', 'list', 'show', 'rename', 'tag', 'pin', 'unpin', 'delete', 'search', 'export', 'import', 'migrate', 'verify', 'bench']) {
        const help = cli([command, '--help'], { store: fresh.spec });
        assert.equal(help.code, 0, command);
        assert.match(help.stdout, new RegExp(`Usage: multichat ${command}`), command);
      }
      assert.match(cliOk(['--help']), /Commands:/);
    });
  });
}
