// secretlint's recommended rules run on a chat text, their reports turned into exact secret ranges
// with human kinds. The rules are secretlint's (the preset's `rules`), run through secretlint's rule
// API, create(context).file(source), by the few lines below rather than @secretlint/core's
// lintSource: lintSource marks ~100 perf_hooks entries a call and its always-on profiler searches
// all of them on every mark, so a long-lived process (the extension host) slows down and grows
// without end: after 1,500 scans its observer held the event loop for 100 s.
// secretlint ships as ES modules only: the preset is loaded by a dynamic import() the first time a
// text needs it, kept in a module-level promise, so it stays off the extension's startup path
// (tsx and Node 20's require(esm) run it as-is, esbuild bundles it).
import type { SecretMatch } from './matches';

/** What a rule reports: secretlint's translator output (message id, data) and a range. */
interface RuleReport {
  message: { messageId: string; data?: unknown };
  range: readonly [number, number];
}

/** The part of secretlint's rule context the preset's scanners use. */
interface RuleContext {
  sharedOptions: Record<string, never>;
  createTranslator: (messages: unknown) => (messageId: string, data?: unknown) => { message: string; messageId: string; data?: unknown };
  report: (descriptor: RuleReport) => void;
  ignore: (descriptor: unknown) => void;
}

/** A text to scan, as secretlint's rules read it. The `.txt` name keeps file-type rules (.npmrc, .p12) off. */
interface RuleSource {
  content: string;
  filePath: string;
  ext: string;
  contentType: 'text';
}

interface RuleCreator {
  meta: { id: string; type: string };
  create: (context: RuleContext, options: Record<string, never>) => { file?: (source: RuleSource) => unknown };
}

interface Report {
  ruleId: string;
  messageId: string;
  range: readonly [number, number];
  data?: unknown;
}

type Lint = (content: string) => Promise<Report[]>;

const RULE_PREFIX = '@secretlint/secretlint-rule-';
/**
 * The preset's comment filter lets `secretlint-disable` in the text hide what the other rules find:
 * a message could then carry a token past the check. It is left out.
 */
const SKIPPED_RULES = new Set([`${RULE_PREFIX}filter-comments`]);

/** Kinds by the rule's short name (its id less the `@secretlint/secretlint-rule-` prefix). */
const RULE_KINDS: Readonly<Record<string, string>> = {
  github: 'GitHub token',
  gitlab: 'GitLab token',
  slack: 'Slack token',
  aws: 'AWS secret access key',
  privatekey: 'private key',
  gcp: 'Google Cloud service account key',
  npm: 'npm token',
  basicauth: 'URL with password',
  'database-connection-string': 'URL with password',
  openai: 'OpenAI API key',
  anthropic: 'Anthropic API key',
  groq: 'Groq API key',
  huggingface: 'Hugging Face token',
  linear: 'Linear API key',
  notion: 'Notion token',
  sendgrid: 'SendGrid API key',
  shopify: 'Shopify token',
  grafana: 'Grafana token',
  '1password': '1Password service account token',
  'hashicorp-vault': 'HashiCorp Vault token',
  vercel: 'Vercel token',
  databricks: 'Databricks token',
  docker: 'Docker token',
  figma: 'Figma token',
};

/** Kinds by message id, where one rule reports several kinds. */
const MESSAGE_KINDS: Readonly<Record<string, string>> = {
  AWSAccessKeyID: 'AWS access key',
  AWSAccountID: 'AWS account id',
  IncomingWebhook: 'Slack webhook URL',
};

/** Rules whose report covers a whole URL: the secret is the URL's password. */
const URL_RULES = new Set(['basicauth', 'database-connection-string']);

/** The `data` fields that hold the reported secret, most telling first. */
const DATA_FIELDS = ['KEY', 'TOKEN', 'CREDENTIAL', 'URI', 'ID'];

/** How far past a report's start its secret may sit (secretlint's AWS rule starts the range at the key name). */
const MAX_SECRET_SHIFT = 512;

let linter: Promise<Lint> | undefined;

/** A lint of one text by the preset's scanners, loading the preset on first use; a failed load is tried again next time. */
function loadLinter(): Promise<Lint> {
  linter ??= import('@secretlint/secretlint-rule-preset-recommend').then(
    (preset) => {
      const rules = (preset.rules as unknown as readonly RuleCreator[]).filter((rule) => rule.meta.type === 'scanner' && !SKIPPED_RULES.has(rule.meta.id));
      return (content: string) => runRules(rules, content);
    },
    (error: unknown) => {
      linter = undefined;
      throw error;
    },
  );
  return linter;
}

/** Each rule made afresh for the text (as secretlint does for each file), run, its reports kept. */
async function runRules(rules: readonly RuleCreator[], content: string): Promise<Report[]> {
  const source: RuleSource = { content, filePath: '/message.txt', ext: '.txt', contentType: 'text' };
  const reports: Report[] = [];
  for (const rule of rules) {
    const context: RuleContext = {
      sharedOptions: {},
      // The rules' messages quote the secret: they are never formatted.
      createTranslator: () => (messageId, data) => ({ message: '', messageId, data }),
      report: ({ message, range }) => reports.push({ ruleId: rule.meta.id, messageId: message.messageId, range, data: message.data }),
      ignore: () => undefined,
    };
    await rule.create(context, {}).file?.(source);
  }
  return reports;
}

/** Loads secretlint's rules now rather than on the first scan (say, while the user picks what to share). */
export async function preloadSecretlint(): Promise<void> {
  await loadLinter();
}

/** What secretlint's recommended rules find in `text`, each with the exact range of the secret. */
export async function secretlintMatches(text: string): Promise<SecretMatch[]> {
  const lint = await loadLinter();
  const messages = await lint(text);
  return messages.map((message) => {
    const rule = message.ruleId.startsWith(RULE_PREFIX) ? message.ruleId.slice(RULE_PREFIX.length) : message.ruleId;
    const [start, end] = secretRange(text, message, URL_RULES.has(rule));
    return { kind: kindOf(rule, message.messageId), start, end };
  });
}

/** The human kind of a report; never built from the report's message, which quotes the secret. */
function kindOf(rule: string, messageId: string): string {
  return MESSAGE_KINDS[messageId] ?? RULE_KINDS[rule] ?? `secret (secretlint rule ${rule})`;
}

/**
 * The range of the secret a report names. The reported value (in `data`) is looked for from the
 * report's start, as some rules start the range at the key name but size it to the value; in a
 * URL, the range is narrowed to the password.
 */
function secretRange(text: string, message: Report, inUrl: boolean): [number, number] {
  const start = Math.max(0, Math.min(message.range[0], text.length));
  let range: [number, number] = [start, Math.max(start, Math.min(message.range[1], text.length))];
  const value = reportedValue(message.data);
  if (value !== undefined && text.slice(start, start + value.length) !== value) {
    const at = text.indexOf(value, start);
    if (at >= 0 && at - start <= MAX_SECRET_SHIFT) {
      range = [at, at + value.length];
    }
  }
  return inUrl ? (urlPasswordRange(text, range) ?? range) : range;
}

/** The secret a report's data names, if it names one as a string. */
function reportedValue(data: Report['data']): string | undefined {
  const record = (data ?? {}) as Record<string, unknown>;
  const value = DATA_FIELDS.map((field) => record[field]).find((candidate) => typeof candidate === 'string' && candidate.length > 0);
  return value as string | undefined;
}

/** Within `range`, the range of the password of the first `scheme://user:password@` URL. */
function urlPasswordRange(text: string, [start, end]: readonly [number, number]): [number, number] | undefined {
  const match = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/?#]*:([^\s@/?#]+)@/.exec(text.slice(start, end));
  if (!match) {
    return undefined;
  }
  const passwordEnd = start + match.index + match[0].length - 1;
  return [passwordEnd - match[1].length, passwordEnd];
}
