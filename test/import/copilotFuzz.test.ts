// Thousands of mutated Copilot files (whole sessions, logs, an exported chat, and the folder of
// them): each either imports as valid sessions or is refused as invalid input naming the file,
// and a refused one leaves the store as it was.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { copilotImporter } from '../../src/interop/import/copilot/copilotImporter';
import { fuzzImporter } from '../helpers/importFuzz';

const FIXTURES = join(__dirname, '..', 'fixtures', 'import', 'copilot');
const CHAT_SESSIONS = join(FIXTURES, 'workspaceStorage', '5f2e9a7c41d08b3e6c1f2a9d8e7b4c60', 'chatSessions');

const CASES: [name: string, path: string, rounds: number][] = [
  ['a version 1 session', join(CHAT_SESSIONS, '3a4f1c2e-8d9b-4e61-a0f7-2c5b9e1d7a43.json'), 300],
  ['a version 3 session', join(CHAT_SESSIONS, 'c91f6a2d-4b8e-4d17-9f3a-0e5c2b7d8a16.json'), 500],
  ['a .jsonl log', join(CHAT_SESSIONS, 'e4b83f70-6a2c-4d91-b5e8-3f7a0c9d2b16.jsonl'), 600],
  ['an exported chat', join(FIXTURES, 'exported-chat.json'), 300],
  ['a chatSessions folder', CHAT_SESSIONS, 200],
];

for (const [name, path, rounds] of CASES) {
  test(`mutants of ${name} never crash the importer nor change the store`, async () => {
    const tally = await fuzzImporter(copilotImporter, path, { rounds, seed: rounds + name.length });
    assert.ok(tally.accepted > rounds / 10 && tally.rejected > rounds / 20, JSON.stringify(tally));
  });
}
