import { z } from 'zod';
import { invalidInput } from '../core/errors';
import { Session, nowIso } from '../core/model';
import { parseOrThrow, parseSession } from '../core/validate';

/**
 * The multichat export bundle: `{format: "multichat-export", version: 1, exportedAt, sessions}`.
 * Import validates the whole bundle before anything is written, so a malformed file changes nothing.
 */
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

export function makeBundle(sessions: Session[]): ExportBundle {
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exportedAt: nowIso(), sessions };
}

export function parseBundle(text: string): Session[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidInput(`invalid bundle: not JSON (${(error as Error).message})`);
  }
  const envelope = parseOrThrow(envelopeSchema, value, 'bundle');
  const sessions = envelope.sessions.map((session, index) => parseSession(session, `bundle session ${index + 1}`));
  const ids = new Set<string>();
  for (const session of sessions) {
    if (ids.has(session.id)) {
      throw invalidInput(`invalid bundle: session id ${session.id} appears twice`);
    }
    ids.add(session.id);
  }
  return sessions;
}
