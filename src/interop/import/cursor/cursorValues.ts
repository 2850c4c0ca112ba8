// The shapes of the Cursor values the importer reads, and the one way a value becomes data: JSON
// parsed and checked by its schema, or an error naming the file, the table and key, and the field.
// Schemas hold only the fields used; everything else Cursor stores is ignored. Cursor writes
// `null` for many absent fields, so optional fields accept it too. Only what a message cannot do
// without (its text, its place in the conversation) must have its shape; a field that merely adds
// to it (a title, a model, an id, why a bubble is empty) is dropped when it has another one.
import { z } from 'zod';
import { brokenAt, parseJsonText, placeOf } from '../importErrors';
import { CursorTable } from './cursorDatabase';

// Times are read by isoTime, which takes what it can (ms, ISO) and otherwise falls back: a time in
// an unexpected form loses only that time, not the file.
const time = z.unknown().optional();
const text = z.string().nullish();
/** A field that adds to a message: in another shape it is left out, like a field not known. */
const extra = <T extends z.ZodType>(schema: T) => schema.nullish().catch(undefined);
const extraText = extra(z.string());

export const bubbleSchema = z.object({
  /** 1: the user's, 2: the assistant's; the conversation header says when the bubble does not. */
  type: z.number().int().nullish(),
  bubbleId: extraText,
  text,
  createdAt: time,
  modelInfo: extra(z.object({ modelName: extraText })),
  toolFormerData: extra(z.object({ name: extraText })),
  thinking: extra(z.object({ text: extraText })),
});
export type CursorBubble = z.infer<typeof bubbleSchema>;

export const composerSchema = z.object({
  name: extraText,
  createdAt: time,
  lastUpdatedAt: time,
  fullConversationHeadersOnly: z.array(z.object({ bubbleId: z.string(), type: z.number().int().nullish() })).nullish(),
  /** Older versions keep the bubbles inline. */
  conversation: z.array(bubbleSchema).nullish(),
});
export type CursorComposer = z.infer<typeof composerSchema>;

/** The workspace's list of its composers, whose conversations live in the global database. */
export const composerListSchema = z.object({ allComposers: z.array(z.object({ composerId: z.string() })).nullish() });

const aichatBubbleSchema = z.object({ type: z.string(), id: extraText, text, rawText: text, modelType: extraText });
export type AichatBubble = z.infer<typeof aichatBubbleSchema>;

export const aichatSchema = z.object({
  tabs: z.array(z.object({ tabId: z.string(), chatTitle: extraText, lastSendTime: time, bubbles: z.array(aichatBubbleSchema).nullish() })).nullish(),
});
export type AichatTab = NonNullable<z.infer<typeof aichatSchema>['tabs']>[number];

/** `text` (the value at `key` in `table`) as JSON of the schema's shape. */
export function parseValue<T>(schema: z.ZodType<T>, value: string | undefined, at: { file: string; table: CursorTable; key: string }): T {
  const place = `${at.table} ${at.key}`;
  const json = value === undefined ? undefined : parseJsonText(value, at.file, place);
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = placeOf(issue.path);
    throw brokenAt(at.file, field ? `${place}: ${field}` : place, value === undefined ? 'no value' : issue.message);
  }
  return result.data;
}
