// The shapes of a Cline / Roo Code task's files, as far as the import relies on them. Everything
// else in them (metrics, checkpoints, deleted ranges) is let through untouched: the tools add
// fields often, and an unknown field is no reason to refuse a task.
import { z } from 'zod';

/** A content block: only its type is known up front; clineContent checks each kind's own fields. */
export const blockSchema = z.looseObject({ type: z.string() });
export type ApiBlock = z.infer<typeof blockSchema>;

const contentSchema = z.union([z.string(), z.array(blockSchema)], { error: 'expected text or a list of content blocks' });

/** An Anthropic MessageParam as api_conversation_history.json holds it; newer Cline adds `ts` and `modelInfo`. */
export const apiMessageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: contentSchema,
  // Read leniently: a time that is not one is a missing time, not a broken conversation.
  ts: z.unknown().optional(),
  modelInfo: z.unknown().optional(),
});
export type ApiMessage = z.infer<typeof apiMessageSchema>;
export const apiHistorySchema = z.array(apiMessageSchema);

export const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
export const toolUseBlockSchema = z.looseObject({ type: z.literal('tool_use'), name: z.string(), input: z.unknown().optional() });
export const toolResultBlockSchema = z.looseObject({ type: z.literal('tool_result'), content: contentSchema.optional() });

/** A ClineMessage of ui_messages.json: what the task's chat showed, each with its time. */
export const uiMessageSchema = z.looseObject({
  ts: z.number(),
  type: z.string().optional(),
  say: z.string().optional(),
  ask: z.string().optional(),
  text: z.string().optional(),
  /** The index of the last api message when this one was shown. */
  conversationHistoryIndex: z.number().int().optional(),
});
export type UiMessage = z.infer<typeof uiMessageSchema>;
export const uiMessagesSchema = z.array(uiMessageSchema);

export const modelUsageSchema = z.looseObject({ ts: z.number(), model_id: z.string() });
export type ModelUsage = z.infer<typeof modelUsageSchema>;
export const taskMetadataSchema = z.looseObject({ model_usage: z.array(modelUsageSchema).optional() });

/** An entry of newer Cline's state/taskHistory.json; read entry by entry, a bad one ignored. */
export const historyItemSchema = z.looseObject({ id: z.string(), ts: z.number().optional(), task: z.string().optional() });
export type HistoryItem = z.infer<typeof historyItemSchema>;

/** Newer Cline's record, on an assistant message, of the model that wrote it. */
export const modelInfoSchema = z.looseObject({ modelId: z.string() });
