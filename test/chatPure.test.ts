import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySessionStore } from '../src/core/memoryStore';
import { MessagePatch } from '../src/core/model';
import { ChatModelHandle, pickDefaultModel } from '../src/extension/chat/modelHandle';
import { NO_MODEL_NOTICE, hasUnansweredMessage, noticeForOutcome, retryChatTurn, runChatTurn, TurnOutcome } from '../src/extension/chat/chatTurn';
import { toChatTurns, toMessageViews } from '../src/extension/chat/conversation';
import { PERSIST_INTERVAL_MS } from '../src/extension/chat/replyRecorder';
import { ThrottledWriter, Timers } from '../src/extension/chat/throttledWriter';

/** A clock that moves only when the test says so. */
function fakeTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout: (callback, ms) => (due.set(nextId, { at: now + ms, callback }), nextId++),
    clearTimeout: (handle) => due.delete(handle as number),
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...due].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now) {
          due.delete(id);
          timer.callback();
        }
      }
    },
  };
}

const DISK_FULL = 'could not write to /ws/.multichat/s.jsonl: the disk is full (ENOSPC)';

/** Refuses every write once `refuseAfter` more writes have succeeded, as a disk that fills up does. */
class RefusingStore extends MemorySessionStore {
  refuseAfter = Infinity;
  private refuse(): void {
    if (this.refuseAfter-- <= 0) {
      throw new Error(DISK_FULL);
    }
  }
  override async appendMessages(...args: Parameters<MemorySessionStore['appendMessages']>) {
    this.refuse();
    return super.appendMessages(...args);
  }
  override async updateMessage(...args: Parameters<MemorySessionStore['updateMessage']>) {
    this.refuse();
    return super.updateMessage(...args);
  }
}

class CountingStore extends MemorySessionStore {
  readonly updates: MessagePatch[] = [];
  override async updateMessage(sessionId: string, messageId: string, patch: MessagePatch) {
    this.updates.push(patch);
    return super.updateMessage(sessionId, messageId, patch);
  }
}

function cancelSignal() {
  const listeners: (() => void)[] = [];
  return {
    isCancellationRequested: false,
    onCancellationRequested(listener: () => void) {
      listeners.push(listener);
      return { dispose: () => undefined };
    },
    cancel() {
      this.isCancellationRequested = true;
      listeners.forEach((listener) => listener());
    },
  };
}

function modelFrom(respond: () => AsyncIterable<string>): ChatModelHandle {
  return { id: 'test-model', family: 'test', label: 'Test', request: async () => respond() };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function newSession(store: MemorySessionStore): Promise<string> {
  return (await store.create({ title: 'Chat' })).id;
}

function turnOptions(store: MemorySessionStore, sessionId: string, model: ChatModelHandle | undefined) {
  return {
    store,
    sessionId,
    text: 'Hello?',
    model,
    signal: cancelSignal(),
    onUserMessageSaved: () => undefined,
    onProgress: () => undefined,
    onPersistError: (error: unknown) => assert.fail(String(error)),
    timers: fakeTimers(),
  };
}

describe('conversation', () => {
  const at = '2025-01-01T00:00:00.000Z';

  it('maps stored messages to language-model turns, system as labelled user turns, skipping empty ones', () => {
    const turns = toChatTurns([
      { id: 's', role: 'system', content: 'Be brief.', createdAt: at },
      { id: 'u', role: 'user', content: 'Hi', createdAt: at },
      { id: 'a', role: 'assistant', content: '', createdAt: at, incomplete: true },
      { id: 'b', role: 'assistant', content: 'Hello', createdAt: at },
    ]);
    assert.deepEqual(turns, [
      { role: 'user', content: '[System instructions]\nBe brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ]);
  });

  it('shows the streaming reply in place of its stored copy', () => {
    const stored = [{ id: 'a', role: 'assistant' as const, content: 'He', createdAt: at, incomplete: true }];
    const live = { ...stored[0], content: 'Hello', streaming: true };
    assert.deepEqual(toMessageViews(stored, live), [live]);
    assert.deepEqual(toMessageViews([], live), [live]);
    assert.deepEqual(toMessageViews(stored), stored);
  });

  it('picks the configured model by id or family, else the first', () => {
    const models = ['a', 'b'].map((id) => ({ ...modelFrom(async function* () {}), id, family: `${id}-family` }));
    assert.equal(pickDefaultModel(models, '')?.id, 'a');
    assert.equal(pickDefaultModel(models, 'b')?.id, 'b');
    assert.equal(pickDefaultModel(models, 'b-family')?.id, 'b');
    assert.equal(pickDefaultModel(models, 'missing')?.id, 'a');
    assert.equal(pickDefaultModel([], 'b'), undefined);
  });
});

describe('throttled persistence', () => {
  it('writes at most once per interval, in order, and always the final value', async () => {
    const timers = fakeTimers();
    const written: number[] = [];
    const writer = new ThrottledWriter<number>({ write: async (value) => void written.push(value), intervalMs: 250, onError: (e) => assert.fail(String(e)), timers });
    for (let value = 1; value <= 20; value++) {
      writer.offer(value);
      timers.advance(50);
      await tick();
    }
    assert.ok(written.length >= 3 && written.length <= 5, `wrote ${written.length} times in 1 s`);
    assert.deepEqual([...written].sort((a, b) => a - b), written);
    await writer.finish(21);
    assert.equal(written.at(-1), 21);
    timers.advance(1000);
    await tick();
    assert.equal(written.at(-1), 21, 'nothing pending is written after finish');
  });

  it('reports a failed intermediate write and carries on', async () => {
    const timers = fakeTimers();
    const errors: unknown[] = [];
    const writer = new ThrottledWriter<number>({ write: async () => Promise.reject(new Error('disk full')), intervalMs: 10, onError: (e) => errors.push(e), timers });
    writer.offer(1);
    timers.advance(10);
    await tick();
    assert.equal(errors.length, 1);
  });
});

describe('a chat turn', () => {
  it('saves the message and reports plainly when no language model is installed', async () => {
    const store = new MemorySessionStore();
    const sessionId = await newSession(store);
    const outcome = await runChatTurn(turnOptions(store, sessionId, undefined));
    assert.deepEqual(outcome, { kind: 'no-model' });
    assert.deepEqual((await store.get(sessionId))!.messages.map((m) => [m.role, m.content]), [['user', 'Hello?']]);
    assert.equal(noticeForOutcome(outcome, String)?.text, NO_MODEL_NOTICE);
    assert.equal(noticeForOutcome(outcome, String)?.retry, true, 'the notice offers Retry');
    assert.match(NO_MODEL_NOTICE, /No language model is installed/);
  });

  it('retries the turn for the saved message without storing it again', async () => {
    const store = new MemorySessionStore();
    const sessionId = await newSession(store);
    await runChatTurn(turnOptions(store, sessionId, undefined));
    const model = modelFrom(async function* () {
      yield 'Here now.';
    });
    const reply = { store, sessionId, model, signal: cancelSignal(), onProgress: () => undefined, onPersistError: (error: unknown) => assert.fail(String(error)), timers: fakeTimers() };
    assert.deepEqual(await retryChatTurn(reply), { kind: 'completed' });
    const messages = (await store.get(sessionId))!.messages;
    assert.deepEqual(messages.map((m) => [m.role, m.content]), [['user', 'Hello?'], ['assistant', 'Here now.']]);
    assert.equal(hasUnansweredMessage(messages), false);
    await assert.rejects(retryChatTurn(reply), /no unanswered message to retry/, 'a second retry would ask twice');
  });

  it('offers Retry after a failed model only when no part of a reply was kept', () => {
    const error = new Error('offline');
    assert.equal(noticeForOutcome({ kind: 'failed', error, partial: false }, String)?.retry, true);
    assert.equal(noticeForOutcome({ kind: 'failed', error, partial: true }, String)?.retry, undefined);
    assert.equal(noticeForOutcome({ kind: 'stopped', partial: false }, String)?.retry, undefined);
  });

  it('streams the reply into the store: appended once as incomplete, updated throttled, then completed', async () => {
    const store = new CountingStore();
    const sessionId = await newSession(store);
    const options = turnOptions(store, sessionId, undefined);
    const shown: string[] = [];
    const fragments = async function* () {
      yield 'Hel';
      // What a crash right now would leave: the first fragment, marked incomplete.
      const midway = (await store.get(sessionId))!.messages[1];
      assert.deepEqual([midway.content, midway.incomplete, midway.model], ['Hel', true, 'test-model']);
      for (const part of ['lo', ', ', 'world', '!']) {
        yield part;
      }
    };
    const outcome = await runChatTurn({ ...options, model: modelFrom(fragments), onProgress: (m) => shown.push(m.content) });
    assert.deepEqual(outcome, { kind: 'completed' });
    assert.deepEqual(shown, ['Hel', 'Hello', 'Hello, ', 'Hello, world', 'Hello, world!']);
    const [user, reply] = (await store.get(sessionId))!.messages;
    assert.equal(user.content, 'Hello?');
    assert.deepEqual([reply.role, reply.content, reply.incomplete], ['assistant', 'Hello, world!', false]);
    assert.deepEqual(store.updates, [{ content: 'Hello, world!', incomplete: false }], 'no time passed, so one final write');
  });

  it('sends the whole conversation, including the new message, to the model', async () => {
    const store = new MemorySessionStore();
    const sessionId = await newSession(store);
    await store.appendMessages(sessionId, [{ role: 'user', content: 'Earlier' }, { role: 'assistant', content: 'Reply' }]);
    let seen: unknown;
    const model: ChatModelHandle = { ...modelFrom(async function* () {}), request: async (turns) => ((seen = turns), (async function* () { yield 'ok'; })()) };
    await runChatTurn(turnOptions(store, sessionId, model));
    assert.deepEqual(seen, [{ role: 'user', content: 'Earlier' }, { role: 'assistant', content: 'Reply' }, { role: 'user', content: 'Hello?' }]);
  });

  it('keeps the partial reply, marked incomplete, when stopped', async () => {
    const store = new MemorySessionStore();
    const sessionId = await newSession(store);
    const options = turnOptions(store, sessionId, undefined);
    const fragments = async function* () {
      yield 'Part one. ';
      options.signal.cancel();
      yield 'Never shown.';
    };
    const outcome = await runChatTurn({ ...options, model: modelFrom(fragments) });
    assert.deepEqual(outcome, { kind: 'stopped', partial: true });
    const reply = (await store.get(sessionId))!.messages[1];
    assert.deepEqual([reply.content, reply.incomplete], ['Part one. ', true]);
    assert.match(noticeForOutcome(outcome, String)!.text, /Stopped\. The partial reply is kept, marked incomplete/);
  });

  it('keeps the message and the partial reply when the model fails mid-reply', async () => {
    const store = new MemorySessionStore();
    const sessionId = await newSession(store);
    const fragments = async function* () {
      yield 'Half';
      throw new Error('connection reset');
    };
    const outcome = await runChatTurn({ ...turnOptions(store, sessionId, undefined), model: modelFrom(fragments) });
    assert.equal(outcome.kind, 'failed');
    const messages = (await store.get(sessionId))!.messages;
    assert.deepEqual(messages.map((m) => [m.content, m.incomplete]), [['Hello?', undefined], ['Half', true]]);
    assert.equal(
      noticeForOutcome(outcome, (e) => (e as Error).message)?.text,
      'The language model failed: connection reset. Your message is saved. The partial reply is kept, marked incomplete.',
    );
  });

  it('keeps the message when the model refuses the request', async () => {
    const store = new MemorySessionStore();
    const sessionId = await newSession(store);
    const model: ChatModelHandle = { ...modelFrom(async function* () {}), request: () => Promise.reject(new Error('NoPermissions')) };
    const outcome: TurnOutcome = await runChatTurn(turnOptions(store, sessionId, model));
    assert.deepEqual(outcome, { kind: 'failed', error: new Error('NoPermissions'), partial: false });
    assert.equal((await store.get(sessionId))!.messages.length, 1);
  });

  it('says the reply could not be saved, not that the model failed, when the store refuses the reply', async () => {
    const store = new RefusingStore();
    const sessionId = await newSession(store);
    let asked = 0;
    const endless = async function* () {
      for (;;) {
        yield `more ${++asked}`;
      }
    };
    const shown: string[] = [];
    store.refuseAfter = 1; // the user's message is saved, the reply's first write is refused
    const outcome = await runChatTurn({ ...turnOptions(store, sessionId, modelFrom(endless)), onProgress: (m) => shown.push(m.content) });
    assert.equal(outcome.kind, 'unsaved');
    assert.deepEqual((await store.get(sessionId))!.messages.map((m) => m.content), ['Hello?']);
    assert.deepEqual(shown, [], 'nothing of an unsaved reply is shown');
    assert.equal(asked, 1, 'the model stream ends once the reply cannot be saved');
    assert.equal(noticeForOutcome(outcome, () => 'the model failed')!.text, `The reply could not be saved: ${DISK_FULL}. Your message is saved.`);
  });

  it('keeps what was saved of the reply when the disk fills mid-reply', async () => {
    const store = new RefusingStore();
    const sessionId = await newSession(store);
    const timers = fakeTimers();
    const fragments = async function* () {
      yield 'First part. ';
      store.refuseAfter = 0; // the disk is full from now on
      yield 'Second part.';
      timers.advance(PERSIST_INTERVAL_MS); // its write runs, and is refused
      await tick();
      yield 'Never shown.';
    };
    const [shown, errors]: [string[], unknown[]] = [[], []];
    const options = { ...turnOptions(store, sessionId, modelFrom(fragments)), timers, onPersistError: (error: unknown) => errors.push(error) };
    const outcome = await runChatTurn({ ...options, onProgress: (m) => shown.push(m.content) });
    assert.deepEqual(outcome, { kind: 'unsaved', error: new Error(DISK_FULL), partial: true });
    assert.deepEqual(shown, ['First part. ', 'First part. Second part.'], 'streaming stops at the refused write');
    const reply = (await store.get(sessionId))!.messages[1];
    assert.deepEqual([reply.content, reply.incomplete], ['First part. ', true]);
    assert.equal(errors.length, 1, 'the refused intermediate write is reported');
    const kept = 'The part of the reply saved before is kept, marked incomplete.';
    assert.equal(noticeForOutcome(outcome, String)!.text, `The reply could not be saved: ${DISK_FULL}. Your message is saved. ${kept}`);
  });

  it('rejects before calling the model when the session is gone, so the caller keeps the draft', async () => {
    const store = new MemorySessionStore();
    await assert.rejects(runChatTurn(turnOptions(store, 'missing', modelFrom(async function* () {}))), /no such session/);
  });
});
