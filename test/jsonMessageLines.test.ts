import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Message } from '../src/core/model';
import { MessagePlace } from '../src/core/wordIndex/indexedSearch';
import { parseLog } from '../src/stores/fs/logLines';
import { sessionFileName } from '../src/stores/json/files/sessionFileNames';
import { openJsonStore } from '../src/stores/json/jsonStore';
import { SessionState, loadSessionState } from '../src/stores/json/log/sessionState';
import { messageFromLines, stampVersion, storedAtOf } from '../src/stores/json/search/messageLines';
import { makeTempDir } from './helpers/tempDir';

// A hit's message is read alone from the lines the index noted (its record, and the line its
// content now comes from), and only while the file is the version indexed; anything those lines
// cannot vouch for is left to a read of the whole file.

function placeOf(state: SessionState, position: number, storedAt = storedAtOf(state.messageLines.get(state.session!.messages[position].id))): MessagePlace {
  return { id: state.id, position, version: stampVersion(state.stamp), storedAt };
}

function textOf(message: Message): Pick<Message, 'id' | 'role' | 'content' | 'createdAt'> {
  const { id, role, content, createdAt } = message;
  return { id, role, content, createdAt };
}

describe('JSON search: a message read from its own lines', () => {
  const dir = makeTempDir();
  after(() => dir.cleanup());

  it('reads each message from its lines, the last edit giving the content, while the file is the version indexed', async () => {
    const store = await openJsonStore(dir.path, { watch: false });
    const session = await store.create({ title: 'lines', messages: [{ role: 'user', content: 'first, ünïcode ✓ 😀' }] });
    const [reply] = await store.appendMessages(session.id, [{ role: 'assistant', content: 'sec', incomplete: true }]);
    await store.updateMessage(session.id, reply.id, { content: 'second grows' });
    await store.updateMessage(session.id, reply.id, { content: 'second grows more', incomplete: false });
    await store.appendMessages(session.id, [{ role: 'user', content: 'third' }]);
    const [fourth] = await store.appendMessages(session.id, [{ role: 'assistant', content: 'fourth', incomplete: true }]);
    await store.updateMessage(session.id, fourth.id, { incomplete: false });
    const path = join(dir.path, sessionFileName(session.id));
    const { state } = loadSessionState(path, session.id)!;
    const messages = state.session!.messages;
    for (const position of [0, 1, 2]) {
      assert.deepEqual(messageFromLines(path, placeOf(state, position)), textOf(messages[position]), `message ${position}`);
    }
    assert.equal(messages[1].content, 'second grows more');
    assert.equal(placeOf(state, 3).storedAt, undefined, 'its last edit carries no content: no one line holds it');
    assert.equal(messageFromLines(path, placeOf(state, 3)), undefined);

    const other = await openJsonStore(dir.path, { watch: false });
    await other.appendMessages(session.id, [{ role: 'user', content: 'from another process' }]);
    await other.close();
    assert.equal(messageFromLines(path, placeOf(state, 0)), undefined, 'the file is no longer the version indexed');
    await store.close();
  });

  it('refuses lines that are not the message: the header, mid-line, past the end, another record, another message\'s edit', async () => {
    const store = await openJsonStore(dir.path, { watch: false });
    const session = await store.create({ title: 'refused' });
    const [, two] = await store.appendMessages(session.id, [{ role: 'user', content: 'one' }, { role: 'assistant', content: 'two' }]);
    await store.updateMessage(session.id, two.id, { content: 'two, edited' });
    await store.update(session.id, { title: 'renamed' });
    await store.close();
    const path = join(dir.path, sessionFileName(session.id));
    const { state } = loadSessionState(path, session.id)!;
    const records = parseLog(readFileSync(path)).records;
    const [first, second] = [0, 1].map((position) => storedAtOf(state.messageLines.get(state.session!.messages[position].id))!);
    const editOfSecond = second[1];
    const update = records[records.length - 1].offset;
    const size = readFileSync(path).length;
    for (const [what, storedAt] of [
      ['the header', [0, 0]],
      ['mid-line', [first[0] + 3, first[0] + 3]],
      ['past the end', [size, size]],
      ['an update record', [update, update]],
      ["another message's edit", [first[0], editOfSecond]],
      ['a message record given as its edit', [first[0], second[0]]],
    ] as const) {
      assert.equal(messageFromLines(path, placeOf(state, 0, storedAt)), undefined, what);
    }
    assert.equal(messageFromLines(join(dir.path, 'missing.jsonl'), placeOf(state, 0)), undefined, 'no file');
  });

  it('finds the lines in bytes, whatever characters come before them, and where bytes do not decode', () => {
    const lines = ['{"a":"ünïcode ✓ 😀"}', '{"b":1}', '\u00ff\u00fe not json', '{"c":2}'];
    const bytes = Buffer.concat([Buffer.from(`${lines[0]}\n${lines[1]}\n`), Buffer.from([0xe2, 0x28, 0xa1, 0x0a]), Buffer.from(`${lines[3]}\n`)]);
    const parsed = parseLog(bytes);
    assert.deepEqual(parsed.corruptLines, [3]);
    for (const record of parsed.records) {
      const end = bytes.indexOf(0x0a, record.offset);
      assert.deepEqual(JSON.parse(bytes.toString('utf8', record.offset, end)), record.value, `line ${record.line}`);
    }
    assert.deepEqual(parsed.records.map(({ line }) => line), [1, 2, 4]);
  });

  it('answers right after a compaction rewrote the file, and after a file changed behind the index', async () => {
    const store = await openJsonStore(dir.path, { watch: false });
    const session = await store.create({ title: 'streamed' });
    const [question, reply] = await store.appendMessages(session.id, [{ role: 'user', content: 'question zebra' }, { role: 'assistant', content: '', incomplete: true }]);
    assert.equal((await store.search('zebra '))[0]?.messageId, question.id);
    let content = '';
    for (let part = 0; part < 40; part++) {
      content += `${'word '.repeat(400)}part${part} `;
      await store.updateMessage(session.id, reply.id, { content, incomplete: part < 39 });
    }
    await store.close(); // waits for the compaction the edits set off
    const path = join(dir.path, sessionFileName(session.id));
    assert.ok(parseLog(readFileSync(path)).records.length <= 3, 'compacted');
    const reopened = await openJsonStore(dir.path, { watch: false });
    const [hit] = await reopened.search('part39 ');
    assert.equal(hit?.messageId, reply.id);
    assert.match(hit.snippet, /part39/);
    // Rewritten behind the index's back, in place (the same size, so only the mtime tells), then
    // longer: the text decides, never the old lines nor the old fold.
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('question zebra', 'question otter'));
    assert.deepEqual(await reopened.search('zebra '), []);
    assert.equal((await reopened.search('otter '))[0]?.messageId, question.id);
    writeFileSync(path, text.replace('question zebra', 'question walruses'));
    assert.deepEqual(await reopened.search('otter '), []);
    assert.equal((await reopened.search('walruses '))[0]?.messageId, question.id);
    await reopened.close();
  });
});
