// The multichat export bundle: `{format: "multichat-export", version: 1, exportedAt, sessions}`.
// Import validates the whole bundle before anything is written, so a malformed file changes
// nothing; a problem is named by its place in the file (`sessions[3].messages[2].role: …`).
// Writing bundles is exportRender.ts's job.
import { z } from 'zod';
import { invalidInput } from '../core/errors';
import { ImportCounts } from '../core/importSession';
import { Session, nowIso } from '../core/model';
import { parseOrThrow } from '../core/validate';
import { IgnoredFields, countUnknown, invalidAt, parseBundleSession } from './bundleSchema';

export type { IgnoredFields } from './bundleSchema';

export const BUNDLE_FORMAT = 'multichat-export';
export const BUNDLE_VERSION = 1;

export interface ExportBundle {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  exportedAt: string;
  sessions: Session[];
}

const envelopeSchema = z.object({
  format: z.literal(BUNDLE_FORMAT, { error: `not a multichat export (format must be "${BUNDLE_FORMAT}")` }),
  version: z.literal(BUNDLE_VERSION, { error: `unsupported export version (this build reads version ${BUNDLE_VERSION})` }),
  exportedAt: z.string(),
  sessions: z.array(z.unknown()),
});
const ENVELOPE_FIELDS = new Set(Object.keys(envelopeSchema.shape));

export function makeBundle(sessions: Session[]): ExportBundle {
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exportedAt: nowIso(), sessions };
}

export interface ParsedBundle {
  sessions: Session[];
  /** Fields the model does not know, which the import left out. */
  ignoredFields: IgnoredFields;
}

export function readBundle(text: string): ParsedBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidInput(`invalid bundle: not JSON (${(error as Error).message})`);
  }
  const envelope = parseOrThrow(envelopeSchema, value, 'bundle');
  const ignoredFields: IgnoredFields = {};
  countUnknown(value as Record<string, unknown>, ENVELOPE_FIELDS, '', ignoredFields);
  const sessions = envelope.sessions.map((session, index) => parseBundleSession(session, index, ignoredFields));
  const ids = new Set<string>();
  for (const [index, session] of sessions.entries()) {
    if (ids.has(session.id)) {
      throw invalidAt(`sessions[${index}].id`, `session id ${session.id} appears twice`);
    }
    ids.add(session.id);
  }
  return { sessions, ignoredFields };
}

export function parseBundle(text: string): Session[] {
  return readBundle(text).sessions;
}

/** `imported 1, updated 0, unchanged 0`, and `, ignored 2 unknown fields (sessions[].color, …)` when some were. */
export function describeImport(counts: ImportCounts, ignoredFields: IgnoredFields): string {
  const summary = `imported ${counts.imported}, updated ${counts.updated}, unchanged ${counts.unchanged}`;
  const names = Object.keys(ignoredFields);
  if (names.length === 0) {
    return summary;
  }
  const total = names.reduce((sum, name) => sum + ignoredFields[name], 0);
  return `${summary}, ignored ${total} unknown field${total === 1 ? '' : 's'} (${names.join(', ')})`;
}
