// One Cursor bubble (a turn of a chat) as a draft message, or the kind of thing it was instead.
// Bubbles with no text are left out and counted: in agent chats most assistant bubbles hold only a
// tool call or a thinking trace, which Multichat has no place for, and the text around them
// already says what the assistant did.
import { ID_PATTERN } from '../../../core/ids';
import { DraftMessage, isoTime, sourceId } from '../sessionDraft';
import { AichatBubble, CursorBubble } from './cursorValues';

/** A draft message, or the skipped kind (as the import report counts it). */
export type BubbleOutcome = DraftMessage | string;

const USER = 1;
const ASSISTANT = 2;

/**
 * A composer bubble: `headerType` is the type its conversation header gives, `fallbackId` its id
 * there, and `model` the model last named in the chat (a user bubble names the model it asked).
 */
export function composerMessage(bubble: CursorBubble, headerType: number | null | undefined, fallbackId: string, model?: string): BubbleOutcome {
  const type = bubble.type ?? headerType;
  if (type !== USER && type !== ASSISTANT) {
    return `bubble type ${type ?? 'missing'}`;
  }
  const content = bubble.text ?? '';
  if (content.trim() === '') {
    return emptyKind(bubble, type === USER);
  }
  return withDetails({ id: messageId(bubble.bubbleId ?? fallbackId), role: type === USER ? 'user' : 'assistant', content }, bubbleTime(bubble.createdAt), model);
}

/** The bubble's own time, and for a reply the model that wrote it. */
function withDetails(message: DraftMessage, createdAt: string | undefined, model: string | null | undefined): DraftMessage {
  if (createdAt) {
    message.createdAt = createdAt;
  }
  if (message.role === 'assistant' && model) {
    message.model = model;
  }
  return message;
}

function emptyKind(bubble: CursorBubble, isUser: boolean): string {
  if (isUser) {
    return 'empty user bubble';
  }
  if (bubble.toolFormerData?.name) {
    return 'tool call bubble';
  }
  return bubble.thinking?.text ? 'thinking-only bubble' : 'empty assistant bubble';
}

/** A bubble of the older chat panel; `fallbackId` stands in for a bubble without its own id. */
export function aichatMessage(bubble: AichatBubble, fallbackId: string): BubbleOutcome {
  if (bubble.type !== 'user' && bubble.type !== 'ai') {
    return `chat bubble type ${bubble.type.slice(0, 40)}`;
  }
  const content = bubble.text || bubble.rawText || '';
  if (content.trim() === '') {
    return bubble.type === 'user' ? 'empty user bubble' : 'empty assistant bubble';
  }
  return withDetails({ id: messageId(bubble.id ?? fallbackId), role: bubble.type === 'user' ? 'user' : 'assistant', content }, undefined, bubble.modelType);
}

/** Bubble ids are UUIDs, kept as they are; anything else maps to one stable hash. */
function messageId(raw: string): string {
  return ID_PATTERN.test(raw) ? raw : sourceId('m', raw);
}

/** ISO or epoch milliseconds; 0 (Cursor's "not set") and nonsense give none. */
function bubbleTime(value: unknown): string | undefined {
  return value ? isoTime(value) : undefined;
}
