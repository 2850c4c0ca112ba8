import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_STORE_SPEC, formatStoreSpec, parseStoreSpec, storeSpecFromSettings } from '../src/stores/storeSpec';

describe('store specs', () => {
  it('resolves a workspace folder\'s settings, relative paths against the folder and defaults for empty values', () => {
    assert.deepEqual(storeSpecFromSettings({}, '/ws'), { kind: 'json', directory: '/ws/.multichat' });
    assert.deepEqual(storeSpecFromSettings({ backend: 'json', jsonDirectory: '' }, '/ws'), { kind: 'json', directory: '/ws/.multichat' });
    assert.deepEqual(storeSpecFromSettings({ backend: 'sqlite' }, '/ws'), { kind: 'sqlite', file: '/ws/.multichat/sessions.sqlite' });
    assert.deepEqual(storeSpecFromSettings({ backend: 'sqlite', sqliteFile: 'db/chats.sqlite' }, '/ws'), { kind: 'sqlite', file: '/ws/db/chats.sqlite' });
    assert.deepEqual(storeSpecFromSettings({ jsonDirectory: '/elsewhere/chats' }, '/ws'), { kind: 'json', directory: '/elsewhere/chats' });
  });

  it('formats what it parses, and the CLI default is the settings default', () => {
    for (const spec of ['json:/a/b', 'sqlite:/a/b.sqlite']) {
      assert.equal(formatStoreSpec(parseStoreSpec(spec)), spec);
    }
    assert.deepEqual(parseStoreSpec(DEFAULT_STORE_SPEC, '/ws'), storeSpecFromSettings({}, '/ws'));
  });
});
