// What the Copilot importer refuses: files that are not JSON, shapes it cannot import, broken log
// lines and log paths that would reach a prototype or run through a non-object. Each error names
// the file and the place; a torn last log line is the one breakage that is tolerated (and counted).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { copilotImporter } from '../../src/interop/import/copilot/copilotImporter';
import { DEFAULT_READ_LIMITS, ParsedUnit } from '../../src/interop/import/importFormats';
import { makeTempDir } from '../helpers/tempDir';

const temp = makeTempDir('multichat-copilot-broken-');
after(() => temp.cleanup());
let written = 0;

const request = (id: string, text: unknown) => ({ requestId: id, message: { text, parts: [] }, response: [{ kind: 'markdownContent', content: { value: `re ${id}` } }], result: {}, timestamp: 1717000000000 });
const sessionData = (requests: unknown = [request('r1', 'hello')]) => ({ version: 3, sessionId: 's1', creationDate: 1716999990000, requesterUsername: 'me', requests });

function file(name: string, text: string): string {
  const path = join(temp.path, `${written++}-${name}`);
  writeFileSync(path, text);
  return path;
}

function log(...entries: unknown[]): string {
  return file('log.jsonl', entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
}

async function read(path: string): Promise<ParsedUnit> {
  return copilotImporter.read({ format: 'copilot', path }, DEFAULT_READ_LIMITS);
}

async function refused(path: string, message: RegExp): Promise<void> {
  await assert.rejects(read(path), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'invalid-input');
    assert.ok(error.message.startsWith(`${path}: `), error.message);
    assert.match(error.message, message);
    return true;
  });
}

test('a file that is not JSON, or whose requests are not an array, is refused naming the file', async () => {
  await refused(file('torn.json', '{"version":3,"requests":['), /not valid JSON/);
  await refused(file('shape.json', JSON.stringify(sessionData({ 0: 'x' }))), /: requests: .*expected array/);
  await refused(file('root.json', '[1, 2]'), /expected object/);
});

test('a request whose message text is not a string is refused at its JSON place', async () => {
  const path = file('text.json', JSON.stringify(sessionData([request('r1', 'fine'), request('r2', 'fine'), request('r3', 'fine'), request('r4', 42)])));
  await refused(path, /: requests\[3\]\.message\.text: /);
  await refused(file('message.json', JSON.stringify(sessionData([{ requestId: 'r1' }]))), /: requests\[0\]\.message: /);
});

test('tolerated: unknown fields, metadata of the wrong type, parts that are not objects (counted)', async () => {
  const data = { ...sessionData([{ ...request('r1', 'hi'), response: [7, { kind: 'markdownContent', content: { value: 5 } }, { kind: 42 }], modelId: 5, surprise: true }]), customTitle: 9, extra: {} };
  const parsed = await read(file('tolerant.json', JSON.stringify(data)));
  assert.equal(parsed.sessions.length, 1);
  assert.equal(parsed.sessions[0].title, 'hi');
  assert.deepEqual(
    parsed.sessions[0].messages.map((message) => message.role),
    ['user'],
  );
  assert.deepEqual(parsed.skipped, {
    'copilot response part (not an object)': 1,
    'copilot response part "markdownContent" (unreadable)': 1,
    'copilot response part "42"': 1,
  });
});

test('a broken line in the middle of a log is an error naming the line; a torn last line is dropped', async () => {
  const good = `${JSON.stringify({ kind: 0, v: sessionData() })}\n`;
  await refused(file('middle.jsonl', `${good}{"kind":1,"k":["customTitle"\n${JSON.stringify({ kind: 1, k: ['customTitle'], v: 'x' })}\n`), /: line 2: not valid JSON/);
  await refused(file('kind.jsonl', `${good}{"kind":7,"k":[]}\n`), /: line 2: /);
  await refused(file('path.jsonl', `${good}{"kind":1,"k":[{"a":1}],"v":1}\n`), /: line 2: k\[0\]: /);
  const torn = await read(file('torn.jsonl', `${good}{"kind":1,"k":["customTitle"],"v":"Ne`));
  assert.equal(torn.sessions[0].title, 'hello');
  assert.deepEqual(torn.skipped, { 'copilot torn last log line': 1 });
  await refused(file('empty.jsonl', '\n\n'), /holds no entries/);
});

test('log paths through __proto__, constructor or prototype are refused, and nothing is polluted', async () => {
  const initial = { kind: 0, v: sessionData() };
  const attempts = [
    { kind: 1, k: ['__proto__', 'polluted'], v: true },
    { kind: 1, k: ['constructor', 'prototype', 'polluted'], v: true },
    { kind: 1, k: ['requests', 0, '__proto__'], v: { polluted: true } },
    { kind: 2, k: ['__proto__'], v: [{ polluted: true }] },
    { kind: 3, k: ['requests', 'constructor'] },
    { kind: 1, k: ['prototype'], v: 1 },
  ];
  for (const attempt of attempts) {
    await refused(log(initial, attempt), /: line 2: refused path segment/);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(([] as unknown as Record<string, unknown>).polluted, undefined);
});

test('log paths through non-objects or beyond an array are errors naming the line, never a TypeError', async () => {
  const initial = { kind: 0, v: sessionData() };
  await refused(log(initial, { kind: 1, k: ['version', 'minor'], v: 1 }), /: line 2: k\[1\]: .*"version", which is no object/);
  await refused(log(initial, { kind: 1, k: ['missing', 'deeper', 'x'], v: 1 }), /: line 2: k\[1\]: /);
  await refused(log(initial, { kind: 1, k: ['requests', 5, 'message'], v: 1 }), /: line 2: 5 is not an index of an array of 1/);
  await refused(log(initial, { kind: 1, k: ['requests', 'length'], v: 1e9 }), /: line 2: "length" is not an index/);
  await refused(log(initial, { kind: 2, k: ['requests'], i: 40, v: [] }), /: line 2: cannot truncate an array of 1 to 40/);
  await refused(log(initial, { kind: 2, k: ['version'], v: [1] }), /: line 2: "version" is not an array/);
  await refused(log({ kind: 1, k: ['customTitle'], v: 'before any kind 0' }), /: line 1: k\[0\]: .*the root/);
  await refused(log({ kind: 0, v: 'a string' }, { kind: 1, k: ['x'], v: 1 }), /: line 2: /);
});

test('a later kind 0 replaces the whole state; a push onto a missing array starts it', async () => {
  const parsed = await read(
    log(
      { kind: 0, v: sessionData([request('old', 'gone')]) },
      { kind: 0, v: { ...sessionData([]), sessionId: 's2' } },
      { kind: 2, k: ['requests'], v: [request('new', 'kept')] },
      { kind: 2, k: ['requests', 0, 'notes'], v: ['a'] },
      { kind: 3, k: ['requests', 0, 'notes'] },
    ),
  );
  assert.equal(parsed.sessions[0].id, 'copilot-s2');
  assert.deepEqual(
    parsed.sessions[0].messages.map((message) => message.content),
    ['kept', 're new'],
  );
});
