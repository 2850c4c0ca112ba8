// Finds credentials in a chat session before it is shared, and redacts them. secretlint's
// recommended rules do most of the finding; the project's own rules (extraRules.ts) add what they
// miss in chat text. Pure: no vscode, no file or network I/O. The findings and their descriptions
// name the kind and place of a secret, never the secret itself.
import { extraRuleMatches } from './extraRules';
import { mergeMatches, type SecretMatch } from './matches';
import { secretlintMatches } from './secretlintScan';

export type { SecretMatch } from './matches';
export { preloadSecretlint } from './secretlintScan';

export interface SecretFinding {
  /** The message's id; null for the session title. */
  messageId: string | null;
  /** The message's 1-based position in the session; null for the title. */
  index: number | null;
  kind: string;
  start: number;
  end: number;
}

interface ScannableSession {
  title: string;
  messages: readonly { id: string; content: string }[];
}

/**
 * Every token secretlint's rules report has a run this long of token characters, or is a URL
 * (`scheme://user:password@host`): a text with neither is not worth secretlint's setup of its two
 * dozen rules (about 0.4 ms a call), which short chat replies would otherwise pay one by one.
 */
const SECRETLINT_PREFILTER = /[A-Za-z0-9+/=_.~-]{16,}|:\/\//;

/** The secrets in `text`, sorted by start and non-overlapping (overlaps merged, the first kind kept). */
export async function scanText(text: string): Promise<SecretMatch[]> {
  if (text.trim().length === 0) {
    return [];
  }
  const fromSecretlint = SECRETLINT_PREFILTER.test(text) ? await secretlintMatches(text) : [];
  return mergeMatches([...fromSecretlint, ...extraRuleMatches(text)]);
}

/** The secrets in a session's title and messages, title first, then messages in order. */
export async function findSecrets(session: ScannableSession): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = (await scanText(session.title)).map((match) => ({ messageId: null, index: null, ...match }));
  for (const [position, message] of session.messages.entries()) {
    for (const match of await scanText(message.content)) {
      findings.push({ messageId: message.id, index: position + 1, ...match });
    }
  }
  return findings;
}

/** `text` with each matched range replaced by `[secret redacted: <kind>]`, the rest byte for byte. */
export function redactText(text: string, matches: readonly SecretMatch[]): string {
  const clamped = matches.map((match) => ({
    kind: match.kind,
    start: Math.max(0, Math.min(match.start, text.length)),
    end: Math.max(0, Math.min(match.end, text.length)),
  }));
  let redacted = '';
  let cursor = 0;
  for (const match of mergeMatches(clamped)) {
    redacted += `${text.slice(cursor, match.start)}[secret redacted: ${match.kind}]`;
    cursor = match.end;
  }
  return redacted + text.slice(cursor);
}

/**
 * A copy of `session` with the findings redacted from its title and messages; the input is left
 * untouched. A finding applies to the message with its id (at its position, when it names one).
 */
export function redactSession<T extends ScannableSession>(session: T, findings: readonly SecretFinding[]): T {
  const title = redactText(
    session.title,
    findings.filter((finding) => finding.messageId === null),
  );
  const messages = session.messages.map((message, position) => {
    const own = findings.filter(
      (finding) => finding.messageId === message.id && (finding.index === null || finding.index === position + 1),
    );
    return { ...message, content: own.length > 0 ? redactText(message.content, own) : message.content };
  });
  return { ...session, title, messages };
}

/** Where a finding is and what kind it is, e.g. "message 3 (id m-abc) holds a GitHub token". Never the secret. */
export function describeFinding(finding: SecretFinding): string {
  const article = /^(?:[aeio]|npm\b)/i.test(finding.kind) ? 'an' : 'a';
  const what = `holds ${article} ${finding.kind}`;
  if (finding.messageId === null) {
    return `the session title ${what}`;
  }
  const position = finding.index === null ? 'a message' : `message ${finding.index}`;
  return `${position} (id ${finding.messageId}) ${what}`;
}
