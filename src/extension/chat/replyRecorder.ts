import { Message, MessagePatch } from '../../core/model';
import { SessionStore } from '../../core/store';
import { ChatMessageView } from '../../webview/shared/protocol';
import { ThrottledWriter, Timers } from './throttledWriter';

// Persists a streamed reply as it arrives: appended once (marked incomplete) on the first
// fragment, updated at most every `intervalMs`, and completed at the end. If the window dies
// mid-reply the store keeps what was shown, still marked incomplete; a stopped or failed reply
// keeps its partial text and stays incomplete. When the store refuses a write (a full disk) the
// reply stops there: what was saved stays, and the outcome says the reply could not be saved.

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

/** 'unsaved': the store refused to save the reply (a full disk), so streaming it stopped there. */
export type ReplyStatus = 'completed' | 'stopped' | 'failed' | 'unsaved';

export interface RecordedReply {
  status: ReplyStatus;
  /** Undefined when nothing of the reply was stored. */
  message: Message | undefined;
  /** The model's error ('failed') or the store's ('unsaved'). */
  error?: unknown;
}

export async function recordReply(options: RecordReplyOptions): Promise<RecordedReply> {
  const recording = new ReplyRecording(options);
  let modelError: unknown;
  let failed = false;
  try {
    for await (const fragment of options.fragments) {
      // Leaving the loop ends the model's stream: a reply that cannot be saved is not shown either.
      if (options.isCancelled() || !(await recording.add(fragment))) {
        break;
      }
    }
  } catch (caught) {
    failed = true;
    modelError = caught;
  }
  const complete = !options.isCancelled() && !failed && recording.saveError === undefined;
  const message = await recording.finish(complete);
  if (recording.saveError !== undefined) {
    return { status: 'unsaved', message, error: recording.saveError };
  }
  const status: ReplyStatus = options.isCancelled() ? 'stopped' : failed ? 'failed' : 'completed';
  return { status, message, error: modelError };
}

class ReplyRecording {
  private content = '';
  private message: Message | undefined;
  private writer: ThrottledWriter<MessagePatch> | undefined;
  /** The first write of the reply the store refused; nothing more is streamed after it. */
  saveError: unknown;

  constructor(private readonly options: RecordReplyOptions) {}

  /** False when the reply can no longer be saved. */
  async add(fragment: string): Promise<boolean> {
    if (this.saveError !== undefined) {
      return false;
    }
    this.content += fragment;
    if (this.message) {
      this.writer?.offer({ content: this.content });
    } else {
      try {
        this.message = await this.append();
      } catch (error) {
        this.saveError = error;
        return false;
      }
    }
    this.options.onProgress({ ...this.message, content: this.content, streaming: true });
    return true;
  }

  /** Writes the reply's final state; a stored message whose final write fails keeps what was saved before. */
  async finish(complete: boolean): Promise<Message | undefined> {
    if (!this.message || !this.writer) {
      return undefined;
    }
    const patch = { content: this.content, incomplete: !complete };
    try {
      await this.writer.finish(patch);
    } catch (error) {
      this.saveError ??= error;
      return this.message;
    }
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
      onError: (error) => {
        this.saveError ??= error;
        this.options.onPersistError(error);
      },
      timers: this.options.timers,
    });
    return message;
  }
}
