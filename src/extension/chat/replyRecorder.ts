import { Message, MessagePatch } from '../../core/model';
import { SessionStore } from '../../core/store';
import { ChatMessageView } from '../../webview/shared/protocol';
import { ThrottledWriter, Timers } from './throttledWriter';

/**
 * Persists a streamed reply as it arrives: appended once (marked incomplete) on the first
 * fragment, updated at most every `intervalMs`, and completed at the end. If the window dies
 * mid-reply the store keeps what was shown, still marked incomplete; a stopped or failed reply
 * keeps its partial text and stays incomplete.
 */
export const PERSIST_INTERVAL_MS = 250;

export interface RecordReplyOptions {
  store: SessionStore;
  sessionId: string;
  model: string;
  fragments: AsyncIterable<string>;
  isCancelled: () => boolean;
  onProgress: (message: ChatMessageView) => void;
  onPersistError: (error: unknown) => void;
  intervalMs?: number;
  timers?: Timers;
}

export type ReplyStatus = 'completed' | 'stopped' | 'failed';

export interface RecordedReply {
  status: ReplyStatus;
  /** Undefined when no fragment arrived, so nothing was stored. */
  message: Message | undefined;
  error?: unknown;
}

export async function recordReply(options: RecordReplyOptions): Promise<RecordedReply> {
  const recording = new ReplyRecording(options);
  let error: unknown;
  let failed = false;
  try {
    for await (const fragment of options.fragments) {
      if (options.isCancelled()) {
        break;
      }
      await recording.add(fragment);
    }
  } catch (caught) {
    failed = true;
    error = caught;
  }
  const status: ReplyStatus = options.isCancelled() ? 'stopped' : failed ? 'failed' : 'completed';
  const message = await recording.finish(status === 'completed');
  return { status, message, error };
}

class ReplyRecording {
  private content = '';
  private message: Message | undefined;
  private writer: ThrottledWriter<MessagePatch> | undefined;

  constructor(private readonly options: RecordReplyOptions) {}

  async add(fragment: string): Promise<void> {
    this.content += fragment;
    if (this.message) {
      this.writer?.offer({ content: this.content });
    } else {
      this.message = await this.append();
    }
    this.options.onProgress({ ...this.message, content: this.content, streaming: true });
  }

  async finish(complete: boolean): Promise<Message | undefined> {
    if (!this.message || !this.writer) {
      return undefined;
    }
    const patch = { content: this.content, incomplete: !complete };
    await this.writer.finish(patch);
    return { ...this.message, ...patch };
  }

  private async append(): Promise<Message> {
    const { store, sessionId, model } = this.options;
    const [message] = await store.appendMessages(sessionId, [
      { role: 'assistant', content: this.content, model, incomplete: true },
    ]);
    this.writer = new ThrottledWriter<MessagePatch>({
      write: async (patch) => void (await store.updateMessage(sessionId, message.id, patch)),
      intervalMs: this.options.intervalMs ?? PERSIST_INTERVAL_MS,
      onError: this.options.onPersistError,
      timers: this.options.timers,
    });
    return message;
  }
}
