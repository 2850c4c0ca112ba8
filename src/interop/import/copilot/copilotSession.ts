// One Copilot session as a Multichat session: each request becomes the user's message and, when
// the response has text, the assistant's reply. Everything is derived from the file's content —
// ids from the session's and requests' own ids, times from their timestamps, never "now" — so
// importing the same file again gives the same session.
import { createHash } from 'node:crypto';
import { Session } from '../../../core/model';
import { SkippedParts, countSkipped } from '../importFormats';
import { parseWith } from '../importErrors';
import { DraftMessage, finishSession, isoTime, sourceId } from '../sessionDraft';
import { responseMarkdown } from './copilotResponse';
import { CopilotRequest, CopilotSessionData, copilotSessionSchema } from './copilotSchema';

/** Where the data came from: the file (for errors) and an id for a session that names none. */
export interface CopilotOrigin {
  file: string;
  /** A `.jsonl` log is named after its session; undefined for an exported chat. */
  fallbackId?: string;
}

const PENDING = 0;
const CANCELLED = 2;

/** Validates the parsed file and maps it; undefined (and counted) for a session with no requests. */
export function copilotSession(data: unknown, origin: CopilotOrigin, skipped: SkippedParts): Session | undefined {
  const session = parseWith(copilotSessionSchema, data, origin.file);
  if (session.requests.length === 0) {
    countSkipped(skipped, 'empty copilot session');
    return undefined;
  }
  return finishSession(
    {
      id: sessionIdOf(session, origin),
      source: 'copilot',
      title: session.customTitle ?? session.computedTitle,
      createdAt: isoTime(session.creationDate),
      updatedAt: isoTime(session.lastMessageDate),
      messages: session.requests.flatMap((request, index) => messagesOf(request, index, session.version, skipped)),
    },
    origin.file,
  );
}

/**
 * The session's own id; else the log's name; else (an exported chat, which drops the id) a hash
 * of its first request's id, which a second export of the same chat keeps.
 */
function sessionIdOf(session: CopilotSessionData, origin: CopilotOrigin): string {
  const own = session.sessionId?.trim() || origin.fallbackId;
  if (own) {
    return sourceId('copilot', own);
  }
  const first = session.requests[0];
  const seed = first.requestId ?? `${String(first.timestamp)}\n${first.message.text}`;
  return `copilot-export-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
}

function messagesOf(request: CopilotRequest, index: number, version: number | undefined, skipped: SkippedParts): DraftMessage[] {
  const id = sourceId('copilot', request.requestId ?? `request-${index}`);
  const sent = isoTime(request.timestamp);
  const user: DraftMessage = { id, role: 'user', content: request.message.text, createdAt: sent };
  const content = replyText(request, skipped);
  if (content === '') {
    return [user];
  }
  const reply: DraftMessage = { id: `${id}-reply`, role: 'assistant', content, createdAt: replyTime(request) ?? sent, model: request.modelId };
  if (isUnfinished(request, version)) {
    reply.incomplete = true;
  }
  return [user, reply];
}

function replyText(request: CopilotRequest, skipped: SkippedParts): string {
  const text = responseMarkdown(request.response ?? [], skipped);
  const error = request.result?.errorDetails?.message?.trim();
  return error ? `${text}${text ? '\n\n' : ''}*Error: ${error}*` : text;
}

/** When the reply finished: sent time plus the time the response took, when both are known. */
function replyTime(request: CopilotRequest): string | undefined {
  const elapsed = request.result?.timings?.totalElapsed;
  return typeof request.timestamp === 'number' && elapsed !== undefined && elapsed >= 0 ? isoTime(request.timestamp + elapsed) : undefined;
}

/**
 * Cancelled, still pending, or (from version 2 on, which always records a result) a response
 * with no result yet: VS Code was closed or crashed mid-answer.
 */
function isUnfinished(request: CopilotRequest, version: number | undefined): boolean {
  const state = request.modelState?.value;
  if (request.isCanceled || state === PENDING || state === CANCELLED) {
    return true;
  }
  return state === undefined && request.result === undefined && version !== 1;
}
