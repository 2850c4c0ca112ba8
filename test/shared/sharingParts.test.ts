import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isMultichatError } from '../../src/core/errors';
import { StoreWarning } from '../../src/core/store';
import { planPush } from '../../src/stores/shared/pushPlan';
import { remoteSpecFromSettings } from '../../src/stores/shared/remoteSettings';
import { SharingLog } from '../../src/stores/shared/sharingLog';
import { OpRecord } from '../../src/stores/shared/sharingRecords';
import { parseRedisSpec } from '../../src/stores/redis/redisSpec';
import { makeTempDir } from '../helpers/tempDir';

// The pieces of sharing that need no server: the spec built from the editor's settings, the
// sharing log on disk (bad lines, other processes, compaction), and how the outbox is planned.

describe('the Redis spec from the editor settings', () => {
  it('adds the namespace, the expiry and the password (URL-encoded) to the URL', () => {
    const spec = remoteSpecFromSettings({ url: 'redis://ana@redis.internal:6380/2', namespace: 'team-chat', ttlDays: 7, password: 'p@ss/w:rd%' });
    const parsed = parseRedisSpec(spec, {});
    assert.equal(parsed.password, 'p@ss/w:rd%');
    assert.equal(parsed.username, 'ana');
    assert.equal(parsed.prefix, 'team-chat');
    assert.equal(parsed.ttlSeconds, 7 * 86_400);
    assert.equal(parsed.db, 2);
    const sentinel = parseRedisSpec(remoteSpecFromSettings({ url: 'redis-sentinel://10.0.0.1:26379,10.0.0.2:26379?master=main', namespace: 'ns', ttlDays: 0, password: 'pw' }), {});
    assert.deepEqual([sentinel.master, sentinel.password, sentinel.prefix, sentinel.ttlSeconds], ['main', 'pw', 'ns', undefined]);
  });

  it('refuses a URL holding a password, or a namespace or expiry of its own, without quoting the password', () => {
    const refusals = [
      { url: 'redis://:hunter2@localhost:6379', says: /holds a password/ },
      { url: 'redis://localhost:6379?prefix=x', says: /namespace and expiry/ },
      { url: 'http://localhost', says: /must start with redis:\/\// },
    ];
    assert.throws(() => remoteSpecFromSettings({ url: 'redis://localhost', namespace: 'team chat', ttlDays: 0, password: 'hunter2' }), (error: unknown) => {
      return isMultichatError(error, 'usage') && /prefix must be/.test(error.message) && !error.message.includes('hunter2');
    });
    for (const { url, says } of refusals) {
      assert.throws(
        () => remoteSpecFromSettings({ url, namespace: 'multichat', ttlDays: 0 }),
        (error: unknown) => isMultichatError(error, 'usage') && says.test(error.message) && !error.message.includes('hunter2'),
      );
    }
  });
});

describe('the sharing log', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let path: string;
  let warnings: StoreWarning[];
  const open = (): SharingLog => new SharingLog(path, (warning) => warnings.push(warning));
  beforeEach(() => {
    temp = makeTempDir();
    path = join(temp.path, 'store', 'sharing.log');
    warnings = [];
  });
  afterEach(() => temp.cleanup());

  it('is folded the same by every process, and one sees what another appends', () => {
    const first = open();
    const second = open();
    first.append([{ type: 'share', sessionId: 's1', mode: 'shared', secrets: 'hold' }, { type: 'op', change: { op: 'share', sessionId: 's1' } }]);
    second.append([{ type: 'op', change: { op: 'append', sessionId: 's1', messageIds: ['m1'] } }]);
    assert.deepEqual(first.current().pending().map((record) => record.change.op), ['share', 'append']);
    const [share] = second.current().pending();
    first.append([{ type: 'pushed', ops: [share.id] }]);
    assert.deepEqual(second.current().pending().map((record) => record.change.op), ['append']);
    assert.equal(second.current().sessions.get('s1')?.mode, 'shared');
  });

  it('skips a line it cannot read, says so once, and still reads the rest', () => {
    const log = open();
    log.append([{ type: 'share', sessionId: 's1', mode: 'followed', secrets: 'redact' }]);
    appendFileSync(path, '{"type":"op","change":{"op":"explode"},"id":"x1"}\nnot json at all\n');
    log.append([{ type: 'op', change: { op: 'edit', sessionId: 's1', messageId: 'm1' } }]);
    assert.equal(log.current().sessions.get('s1')?.secrets, 'redact');
    assert.deepEqual(log.current().pending().map((record) => record.change.op), ['edit']);
    assert.equal(open().current().pending().length, 1);
    assert.equal(warnings.filter((warning) => warning.kind === 'corrupt').length, 4, 'two bad lines, each said once by each of the two logs');
  });

  it('compacts a big log to what still matters, keeping a copy of what it could not read', async () => {
    const log = open();
    log.append([{ type: 'share', sessionId: 's1', mode: 'shared', secrets: 'hold' }]);
    appendFileSync(path, 'garbage line\n');
    for (let batch = 0; batch < 60; batch++) {
      const ops = log.append(Array.from({ length: 50 }, () => ({ type: 'op' as const, change: { op: 'append' as const, sessionId: 's1', messageIds: ['m'.repeat(60)] } })));
      log.append([{ type: 'pushed', ops: ops.map((record) => record.id) }]);
    }
    log.append([{ type: 'op', change: { op: 'update', sessionId: 's1', patch: { title: 'Still to push' } } }]);
    log.current();
    assert.ok(statSync(path).size > 256 * 1024);
    await log.compactIfLarge();
    assert.ok(statSync(path).size < 1_000, `compacted to ${statSync(path).size} bytes`);
    const reread = open().current();
    assert.equal(reread.sessions.get('s1')?.mode, 'shared');
    assert.deepEqual(reread.pending().map((record) => record.change.op), ['update']);
    const quarantined = readdirSync(join(temp.path, 'store', 'quarantine'));
    assert.equal(quarantined.length, 1);
    assert.match(readFileSync(join(temp.path, 'store', 'quarantine', quarantined[0]), 'utf8'), /garbage line/);
  });

  it('treats a torn last line (a crash mid-append) as never written, not as damage', () => {
    const log = open();
    log.append([{ type: 'share', sessionId: 's1', mode: 'shared', secrets: 'hold' }]);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"type":"op","change":{"op":"sha`);
    assert.equal(log.current().pending().length, 0);
    log.append([{ type: 'op', change: { op: 'share', sessionId: 's1' } }]);
    assert.equal(open().current().pending().length, 1);
    assert.deepEqual(warnings, []);
  });
});

describe('planning a push', () => {
  const op = (id: string, change: OpRecord['change']): OpRecord => ({ type: 'op', id, change });

  it('folds a message’s edits into its last one and joins appends in a row, keeping the order', () => {
    const plan = planPush([
      op('1', { op: 'append', sessionId: 's', messageIds: ['a'] }),
      op('2', { op: 'append', sessionId: 's', messageIds: ['b'] }),
      op('3', { op: 'edit', sessionId: 's', messageId: 'b' }),
      op('4', { op: 'update', sessionId: 's', patch: { pinned: true } }),
      op('5', { op: 'edit', sessionId: 's', messageId: 'b' }),
      op('6', { op: 'append', sessionId: 't', messageIds: ['c'] }),
    ]);
    assert.deepEqual(
      plan.map((step) => [step.change.op, step.ids]),
      [
        ['append', ['1', '2']],
        ['update', ['3', '4']],
        ['edit', ['5']],
        ['append', ['6']],
      ],
    );
    assert.deepEqual(plan[0].change.op === 'append' && plan[0].change.messageIds, ['a', 'b']);
  });

  it('folds a session’s reorders into its last one (it pushes the order as it is then), not another session’s', () => {
    const plan = planPush([
      op('1', { op: 'order', sessionId: 's' }),
      op('2', { op: 'append', sessionId: 's', messageIds: ['a'] }),
      op('3', { op: 'order', sessionId: 't' }),
      op('4', { op: 'order', sessionId: 's' }),
    ]);
    assert.deepEqual(
      plan.map((step) => [step.change.op, step.change.sessionId, step.ids]),
      [
        ['append', 's', ['1', '2']],
        ['order', 't', ['3']],
        ['order', 's', ['4']],
      ],
    );
  });
});
