// The shape of a Copilot Chat session as VS Code serializes it (ISerializableChatData, versions
// 1–3, and the same object inside an exported chat or a `.jsonl` log). Strict only about what an
// import cannot do without — `requests` an array of objects whose message text is a string —
// and tolerant of everything else: unknown fields are dropped, optional metadata of the wrong
// type is treated as absent, and response parts are left to copilotResponse to judge one by one.
import { z } from 'zod';

/** A string, or nothing when the source holds anything else there. */
const optionalString = z.unknown().optional().transform((value) => (typeof value === 'string' ? value : undefined));
const optionalNumber = z.unknown().optional().transform((value) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined));
// The object schema is built once, here, not in the transform: zod compiles each schema it meets,
// and building one per value made that compiling most of an import's time.
const optionalObject = <T extends z.ZodRawShape>(shape: T) => {
  const objectSchema = z.object(shape);
  return z.unknown().optional().transform((value) => {
    const parsed = objectSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  });
};

// Version 1 stored the message as the plain text; later ones as a parsed request with `text`.
const messageSchema = z.preprocess((value) => (typeof value === 'string' ? { text: value } : value), z.object({ text: z.string() }));

const resultSchema = optionalObject({
  timings: optionalObject({ totalElapsed: optionalNumber }),
  errorDetails: optionalObject({ message: optionalString }),
});

export const copilotRequestSchema = z.object({
  requestId: optionalString,
  message: messageSchema,
  response: z.array(z.unknown()).nullish(),
  result: resultSchema,
  isCanceled: z.unknown().optional().transform((value) => value === true),
  /** Newer sessions: 0 pending, 1 complete, 2 cancelled, 3 failed. */
  modelState: optionalObject({ value: optionalNumber }),
  timestamp: z.unknown().optional(),
  modelId: optionalString,
});
export type CopilotRequest = z.infer<typeof copilotRequestSchema>;

export const copilotSessionSchema = z.object({
  version: optionalNumber,
  sessionId: optionalString,
  creationDate: z.unknown().optional(),
  lastMessageDate: z.unknown().optional(),
  customTitle: optionalString,
  computedTitle: optionalString,
  requests: z.array(copilotRequestSchema),
});
export type CopilotSessionData = z.infer<typeof copilotSessionSchema>;
