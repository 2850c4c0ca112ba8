import { z } from 'zod';
import { ID_PATTERN } from '../ids';

// The recall tool's input, as an agent sends it: untrusted, so checked here before anything is
// read, with an error text the agent can act on. Pure.

export const DEFAULT_RECALL_LIMIT = 10;
export const MAX_RECALL_LIMIT = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const recallInputSchema = z
  .strictObject({
    query: z.string().trim().min(1, 'must hold at least one word').max(500).optional(),
    tag: z.string().trim().regex(/^[^\s,]+$/, 'must be one tag, without spaces or commas').max(100).optional(),
    source: z.string().trim().min(1).max(100).optional(),
    after: z.string().regex(DAY, 'must be a day, YYYY-MM-DD').optional(),
    before: z.string().regex(DAY, 'must be a day, YYYY-MM-DD').optional(),
    limit: z.number().int().min(1).max(MAX_RECALL_LIMIT).optional(),
    sessionId: z.string().regex(ID_PATTERN, 'must be a session id from a search result').optional(),
    fromMessage: z.number().int().min(1).optional(),
    toMessage: z.number().int().min(1).optional(),
  })
  .refine((input) => (input.query === undefined) !== (input.sessionId === undefined), { message: 'give either "query" (to search) or "sessionId" (to read one session)' })
  .refine((input) => input.fromMessage === undefined || input.toMessage === undefined || input.fromMessage <= input.toMessage, {
    message: '"fromMessage" must not be after "toMessage"',
  });

export type RecallInput = z.infer<typeof recallInputSchema>;

export type ParsedRecallInput = { ok: true; input: RecallInput } | { ok: false; error: string };

/** The input checked, or why it is refused (each problem named by its field). */
export function parseRecallInput(raw: unknown): ParsedRecallInput {
  const parsed = recallInputSchema.safeParse(raw);
  if (parsed.success) {
    return { ok: true, input: parsed.data };
  }
  const problems = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `"${issue.path.join('.')}" ${issue.message}` : issue.message));
  return { ok: false, error: `Invalid input for the Multichat sessions tool: ${problems.join('; ')}.` };
}

/**
 * The search as the editor's Search Sessions reads it (words plus `tag:`, `after:`, `before:`
 * tokens), so the tool and the picker filter alike. A filter-looking word in the query stays a filter.
 */
export function searchTextOf(input: RecallInput): string {
  const filters = [input.tag && `tag:${input.tag}`, input.after && `after:${input.after}`, input.before && `before:${input.before}`];
  return [input.query ?? '', ...filters.filter(Boolean)].join(' ').trim();
}
