// A Continue session file as one Multichat session. User, assistant and system text is kept; an
// assistant's tool calls become one short line each (as Cline's do), so agent turns still say
// what they did. Tool results are skipped: they are the tool's output, not anyone's words, and
// the next reply says what came of them. Thinking and images are skipped too; every skip counted.
// Continue's messages have neither ids nor times: ids come from their position, and every message
// takes the session's time.
import { Session } from '../../../core/model';
import { SkippedParts, countSkipped } from '../importFormats';
import { DraftMessage, finishSession, sourceId } from '../sessionDraft';
import { parseWith } from '../importErrors';
import { toolLine } from '../toolLine';
import { HistoryItem, MessageContent, SessionFile, ToolCall, promptLogSchema, textPartSchema } from './continueSchema';

export interface SessionContext {
  file: string;
  /** The session's id when the file names none: its file name. */
  fallbackId: string;
  /** When the session was created (the index's date, else the file's mtime). */
  time: string;
  /** The index's title, used when the file has none. */
  indexTitle?: string;
  skipped: SkippedParts;
}

/** Continue's title for a session nobody has named yet. */
const PLACEHOLDER_TITLE = 'New Session';

/** The session, or undefined (counted) when it holds no message worth keeping. */
export function continueSession(parsed: SessionFile, context: SessionContext): Session | undefined {
  const messages: DraftMessage[] = [];
  for (const [index, item] of parsed.history.entries()) {
    const message = draftMessage(item, index, parsed, context);
    if (message) {
      messages.push(message);
    }
  }
  if (messages.length === 0) {
    countSkipped(context.skipped, 'continue empty session');
    return undefined;
  }
  const draft = {
    id: sourceId('continue', parsed.sessionId?.trim() || context.fallbackId),
    source: 'continue',
    title: [parsed.title, context.indexTitle].find((title) => title?.trim() && title.trim() !== PLACEHOLDER_TITLE),
    createdAt: context.time,
    updatedAt: context.time,
    messages,
  };
  return finishSession(draft, context.file);
}

function draftMessage(item: HistoryItem, index: number, parsed: SessionFile, context: SessionContext): DraftMessage | undefined {
  const { role, content } = item.message;
  const id = `m${String(index).padStart(4, '0')}`;
  const place = ['history', index, 'message', 'content'];
  if (role === 'user' || role === 'system') {
    const text = contentText(content, place, context);
    return text ? { id, role, content: text } : undefined;
  }
  if (role === 'assistant') {
    const calls = (item.message.toolCalls ?? []).map(callLine);
    const text = [contentText(content, place, context), ...calls].filter((part) => part !== '').join('\n\n');
    return { id, role, content: text, model: modelTitleOf(item) ?? parsed.chatModelTitle ?? undefined };
  }
  countSkipped(context.skipped, role === 'tool' || role === 'thinking' ? `continue ${role} message` : `continue message role "${role.slice(0, 40)}"`);
  return undefined;
}

/** The text of string content or of its text parts; image and other parts are counted. */
function contentText(content: MessageContent, place: readonly PropertyKey[], context: SessionContext): string {
  if (typeof content === 'string') {
    return content.trim();
  }
  const texts: string[] = [];
  for (const [position, part] of content.entries()) {
    if (part.type === 'text') {
      texts.push(parseWith(textPartSchema, part, context.file, [...place, position]).text);
    } else {
      countSkipped(context.skipped, part.type === 'imageUrl' ? 'continue image' : `continue part "${part.type.slice(0, 40)}"`);
    }
  }
  return texts.join('\n').trim();
}

function callLine(call: ToolCall): string {
  const name = call.function?.name;
  if (!name) {
    return '';
  }
  return toolLine(name, argumentsOf(call.function?.arguments));
}

/** Tool arguments are a JSON string, possibly cut short while streaming: shown raw when they do not parse. */
function argumentsOf(text: string | undefined): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The model that answered, from the item's last prompt log that names one. */
function modelTitleOf(item: HistoryItem): string | undefined {
  const logs = Array.isArray(item.promptLogs) ? (item.promptLogs as unknown[]) : [];
  const titles = logs.map((log) => promptLogSchema.safeParse(log)).flatMap((log) => (log.success && log.data.modelTitle.trim() ? [log.data.modelTitle] : []));
  return titles.at(-1);
}
