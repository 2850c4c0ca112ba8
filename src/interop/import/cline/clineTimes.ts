// When each part of a task happened. api_conversation_history.json has no times in older Cline,
// but ui_messages.json does, and each ui message records `conversationHistoryIndex`: the index of
// the last api message when it was shown. So the first ui message carrying index j was shown just
// after api message j was written, and the last one carrying j - 1 just before it. A message's own
// `ts` (newer Cline) wins over both; a message with none of them takes the time before it.
import { isoTime } from '../sessionDraft';
import { ApiMessage, ModelUsage, UiMessage, modelInfoSchema } from './clineSchema';

export interface TaskClock {
  /** When the task started and last changed, when anything says so. */
  start?: string;
  end?: string;
  /** A time for every api message, by index. */
  messageTimes: string[];
}

interface Span {
  first: number;
  last: number;
}

/**
 * The task's times. `fallbackStart` (the task id as epoch ms, else the folder's mtime) is used only
 * when neither the ui messages nor the api messages give any time.
 */
export function taskClock(api: readonly ApiMessage[], ui: readonly UiMessage[], fallbackStart: string): TaskClock {
  const uiTimes = ui.map((message) => message.ts).filter((ts) => isoTime(ts) !== undefined);
  // reduce, not Math.min(...): a long task has more ui messages than a call takes arguments.
  const start = uiTimes.length > 0 ? isoTime(uiTimes.reduce((a, b) => Math.min(a, b))) : undefined;
  const end = uiTimes.length > 0 ? isoTime(uiTimes.reduce((a, b) => Math.max(a, b))) : undefined;
  const spans = spansByIndex(ui);
  let carried = start ?? api.map((message) => isoTime(message.ts)).find((time) => time !== undefined) ?? fallbackStart;
  const messageTimes = api.map((message, index) => {
    carried = isoTime(message.ts) ?? isoTime(spans.get(index)?.first) ?? isoTime(spans.get(index - 1)?.last) ?? carried;
    return carried;
  });
  return { start: start ?? messageTimes[0] ?? fallbackStart, end, messageTimes };
}

function spansByIndex(ui: readonly UiMessage[]): Map<number, Span> {
  const spans = new Map<number, Span>();
  for (const message of ui) {
    const index = message.conversationHistoryIndex;
    if (index === undefined || isoTime(message.ts) === undefined) {
      continue;
    }
    const span = spans.get(index);
    spans.set(index, span ? { first: Math.min(span.first, message.ts), last: Math.max(span.last, message.ts) } : { first: message.ts, last: message.ts });
  }
  return spans;
}

/**
 * The model that wrote an assistant message: the one newer Cline records on it, else the latest
 * of task_metadata's model_usage entries at or before the message's time.
 */
export function modelOf(message: ApiMessage, time: string, usage: readonly ModelUsage[]): string | undefined {
  const own = modelInfoSchema.safeParse(message.modelInfo);
  if (own.success && own.data.modelId.trim()) {
    return own.data.modelId;
  }
  let model: string | undefined;
  let latest = '';
  for (const entry of usage) {
    const at = isoTime(entry.ts);
    if (at !== undefined && at <= time && at >= latest && entry.model_id.trim()) {
      model = entry.model_id;
      latest = at;
    }
  }
  return model;
}

/** The task id as a time, when it is epoch milliseconds (as Cline makes them). */
export function timeOfTaskId(taskId: string): string | undefined {
  return /^\d{12,14}$/.test(taskId) ? isoTime(Number(taskId)) : undefined;
}
