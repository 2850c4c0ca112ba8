// The pure halves of importing in the editor: where this workspace's Copilot Chat history is, how
// a follow-up import leaves out files unchanged since the last one, when the once-per-workspace
// offer is made, and how the Sessions view marks and filters sessions by where they came from.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chatSessionsFolderOf } from '../../src/interop/import/copilot/copilotImporter';
import { countSessionFiles, fingerprintRun, importProgressMessage, shouldOfferImport } from '../../src/extension/import/copilotHistory';
import { OWN_SOURCE, collectSources, importedLook, matchesFilters, sourceLabel } from '../../src/extension/tree/sessionSources';

describe('the Copilot Chat history of this workspace', () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'multichat-editor-import-'));
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  it('is the chatSessions folder beside the extension’s own workspace storage', () => {
    assert.equal(chatSessionsFolderOf('/ws/workspaceStorage/abc123/multichat.multichat-sessions'), '/ws/workspaceStorage/abc123/chatSessions');
  });

  it('counts its .json and .jsonl session files, and says when there is no such folder', async () => {
    const folder = join(scratch, 'chatSessions');
    assert.equal(await countSessionFiles(folder), undefined);
    await mkdir(folder);
    assert.equal(await countSessionFiles(folder), 0);
    await writeFile(join(folder, 'a.json'), '{}');
    await writeFile(join(folder, 'b.jsonl'), '{}');
    await writeFile(join(folder, 'notes.txt'), 'not a session');
    assert.equal(await countSessionFiles(folder), 2);
  });

  it('a follow-up run leaves out exactly the files whose size and time did not change', async () => {
    const same = join(scratch, 'same.json');
    const grown = join(scratch, 'grown.json');
    const touched = join(scratch, 'touched.json');
    for (const file of [same, grown, touched]) {
      await writeFile(file, '{"v":1}');
    }
    const first = fingerprintRun({}, true);
    for (const path of [same, grown, touched]) {
      assert.equal(await first.skipUnit({ format: 'copilot', path }), false, 'nothing is known the first time');
    }
    assert.deepEqual(Object.keys(first.seen).sort(), [grown, same, touched].sort());
    await writeFile(grown, '{"v":1,"more":true}');
    await utimes(touched, new Date(), new Date(Date.now() + 5000));
    const second = fingerprintRun(first.seen, true);
    assert.equal(await second.skipUnit({ format: 'copilot', path: same }), true);
    assert.equal(await second.skipUnit({ format: 'copilot', path: grown }), false);
    assert.equal(await second.skipUnit({ format: 'copilot', path: touched }), false);
    assert.equal(second.skipped, 1);
    const manual = fingerprintRun(first.seen, false);
    assert.equal(await manual.skipUnit({ format: 'copilot', path: same }), false, 'a manual import reads every file');
    assert.equal(manual.seen[same], first.seen[same], 'and still records it');
  });

  it('never skips a folder unit or a file that is gone', async () => {
    const run = fingerprintRun({ [scratch]: 'anything', [join(scratch, 'gone.json')]: '1:1' }, true);
    assert.equal(await run.skipUnit({ format: 'cline', path: scratch }), false);
    assert.equal(await run.skipUnit({ format: 'copilot', path: join(scratch, 'gone.json') }), false);
    assert.deepEqual(run.seen, {});
  });
});

describe('the offer to import the Copilot Chat history', () => {
  it('is made when there are sessions and nobody answered it, and the history is not followed', () => {
    assert.equal(shouldOfferImport({ sessionFiles: 3, asked: false, following: false }), true);
  });

  it('is not made once answered, while following, or without sessions', () => {
    assert.equal(shouldOfferImport({ sessionFiles: 3, asked: true, following: false }), false);
    assert.equal(shouldOfferImport({ sessionFiles: 3, asked: false, following: true }), false);
    assert.equal(shouldOfferImport({ sessionFiles: 0, asked: false, following: false }), false);
    assert.equal(shouldOfferImport({ sessionFiles: undefined, asked: false, following: false }), false);
  });

  it('shows its progress as messages and files', () => {
    assert.equal(importProgressMessage({ messages: 1234, unitsDone: 12, units: 40 }), '1,234 messages · 12 of 40 files');
    assert.equal(importProgressMessage({ messages: 1, unitsDone: 1, units: 1 }), '1 message · 1 of 1 file');
  });
});

describe('where a session came from, in the Sessions view', () => {
  it('marks imported sessions with the tool, and leaves Multichat’s own unmarked', () => {
    assert.equal(importedLook(OWN_SOURCE), undefined);
    assert.deepEqual(importedLook('copilot'), { label: 'Copilot', icon: 'copilot' });
    assert.equal(importedLook('roo')?.label, 'Roo Code');
    assert.equal(importedLook('someday-tool')?.label, 'someday-tool', 'an unknown source is still named');
    assert.equal(sourceLabel(OWN_SOURCE), 'Multichat');
  });

  it('counts the sources in use, Multichat’s own first', () => {
    const summaries = ['copilot', 'multichat', 'cline', 'copilot', 'multichat', 'multichat'].map((source) => ({ source }));
    assert.deepEqual(collectSources(summaries), [
      { source: 'multichat', count: 3 },
      { source: 'cline', count: 1 },
      { source: 'copilot', count: 2 },
    ]);
  });

  it('a source filter and a tag filter must both match', () => {
    const copilotTagged = { source: 'copilot', tags: ['work'] };
    const copilotPlain = { source: 'copilot', tags: [] };
    const ownTagged = { source: 'multichat', tags: ['work'] };
    const filters = { tagFilters: ['work'], sourceFilters: ['copilot'] };
    assert.equal(matchesFilters(copilotTagged, filters), true);
    assert.equal(matchesFilters(copilotPlain, filters), false);
    assert.equal(matchesFilters(ownTagged, filters), false);
    assert.equal(matchesFilters(ownTagged, { sourceFilters: [OWN_SOURCE] }), true);
    assert.equal(matchesFilters(copilotPlain, {}), true);
    assert.equal(matchesFilters(copilotPlain, { sourceFilters: ['cline', 'copilot'] }), true, 'several sources widen the filter');
  });
});
