// The shapes of Continue's session files (core/index.d.ts: Session, ChatHistoryItem, ChatMessage,
// SessionMetadata), as far as the import relies on them. Unknown fields pass: Continue adds them
// often (context items, editor state, rules), and none of them is the conversation.
import { z } from 'zod';

/** A MessagePart: only its type is known up front; the text of a text part is checked on its own. */
export const partSchema = z.looseObject({ type: z.string() });
export const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

export const messageContentSchema = z.union([z.string(), z.array(partSchema)], { error: 'expected text or a list of message parts' });
export type MessageContent = z.infer<typeof messageContentSchema>;

/** An assistant's tool call: a function name and its arguments as a JSON string. */
const toolCallSchema = z.looseObject({
  function: z.looseObject({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

const chatMessageSchema = z.looseObject({
  role: z.string(),
  content: messageContentSchema,
  toolCalls: z.array(toolCallSchema).optional(),
});

export const historyItemSchema = z.looseObject({
  message: chatMessageSchema,
  // Read leniently (see modelTitleOf): logs of the prompts, of which only the model's name is used.
  promptLogs: z.unknown().optional(),
});
export type HistoryItem = z.infer<typeof historyItemSchema>;

export const sessionFileSchema = z.looseObject({
  sessionId: z.string().optional(),
  title: z.string().optional(),
  workspaceDirectory: z.string().optional(),
  history: z.array(historyItemSchema),
  chatModelTitle: z.string().nullish(),
});
export type SessionFile = z.infer<typeof sessionFileSchema>;

/** An entry of sessions.json, the index Continue keeps beside the session files. */
export const indexEntrySchema = z.looseObject({
  sessionId: z.string(),
  title: z.string().optional(),
  /** Epoch milliseconds, as a string. */
  dateCreated: z.unknown().optional(),
});

export const promptLogSchema = z.looseObject({ modelTitle: z.string() });
