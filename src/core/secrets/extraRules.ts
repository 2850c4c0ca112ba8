// The project's own rules, for secrets secretlint's recommended preset (12.0.0) misses in chat text:
// PEM private keys it does not know (EC P-256 and Ed25519 keys, encrypted ones), AWS access key ids on their own, GitLab tokens other than personal ones, OpenAI project, service
// account and other long `sk-` keys, bearer tokens, passwords in URLs of any scheme (secretlint's
// basic-auth rule knows http(s)/ftp and plain-character passwords only), secret-named assignments,
// and high-entropy values in `.env` lines. Each rule gives the exact range of the secret.
import { ASSIGNMENT_PATTERN, assignmentKind, assignmentSecret } from './assignmentRule';
import type { SecretMatch } from './matches';
import { characterClasses, isPathOrUrl, isPlaceholder, isUuid, looksRandom, shannonEntropy } from './textChecks';

type Range = [number, number];

interface ExtraRule {
  readonly kind: string | ((match: RegExpExecArray) => string);
  /** Global, with indices (`d`), so that groups give ranges. */
  readonly pattern: RegExp;
  /** The range of the secret in a match of `pattern`, or undefined to let the match go. */
  readonly secret: (match: RegExpExecArray, text: string) => Range | undefined;
}

/** `.env` values at least this long and this random (bits per character) are taken for secrets. */
const ENV_MIN_LENGTH = 20;
const ENV_MIN_ENTROPY = 3.5;

/** `.env` keys that name something public: ids, hashes, versions, places, names. */
const PUBLIC_ENV_KEY =
  /(?:^|_)(?:SHA\d*|COMMIT|HASH|REV|REVISION|VERSION|CHECKSUM|DIGEST|ID|UUID|GUID|PATH|DIR|FILE|URL|URI|HOST|HOSTNAME|DOMAIN|NAME|EMAIL|USER|USERNAME|REGION|ZONE|PORT|LANG|LOCALE|TZ|MODE|ENV|LEVEL|FORMAT|TYPE)$/;

export const EXTRA_RULES: readonly ExtraRule[] = [
  {
    // secretlint wants 100 base64 characters starting `MI`: short EC and Ed25519 keys slip by.
    kind: 'private key',
    pattern:
      /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----(?<body>[A-Za-z0-9+/=\s\\:,-]{40,20000}?)-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/dg,
    secret: (match) => (pemBody(match.groups?.body ?? '') ? wholeMatch(match) : undefined),
  },
  {
    // AKIA (long-term) and ASIA (temporary) key ids; AWS's documentation examples end in EXAMPLE.
    kind: 'AWS access key',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Za-z0-9])/dg,
    secret: (match) => (match[0].endsWith('EXAMPLE') ? undefined : wholeMatch(match)),
  },
  {
    // Personal, deploy, runner, pipeline trigger, OAuth, feed, SCIM, CI job, mail, agent, feature-flag and workspace tokens.
    kind: 'GitLab token',
    pattern:
      /(?<![A-Za-z0-9_-])(?:gl(?:pat|dt|rt|ptt|oas|ft|soat|cbt|imt|agent|ffct|wt)-|GR1348941)(?<body>[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]+)*)(?![A-Za-z0-9_-])/dg,
    secret: randomBody,
  },
  {
    kind: 'OpenAI API key',
    pattern: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-(?<body>[A-Za-z0-9_-]{40,})|(?<legacy>[A-Za-z0-9]{32,}))(?![A-Za-z0-9_-])/dg,
    secret: (match) => (looksRandom(match.groups?.body ?? match.groups?.legacy ?? '') ? wholeMatch(match) : undefined),
  },
  {
    kind: 'bearer token',
    pattern: /(?<![A-Za-z0-9])[Bb]earer[ \t]+(?<body>[A-Za-z0-9._~+/-]{20,}=*)/dg,
    secret: (match) => (looksRandom(match.groups?.body ?? '') ? groupRange(match, 'body') : undefined),
  },
  {
    // scheme://user:password@host, user may be empty (redis://:password@host); brackets and braces
    // are no part of a URL's user info, so `redis://[user[:password]@]host` is a syntax, not a password.
    kind: 'URL with password',
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:@/?#"'`<>[\]{}]*:(?<password>[^\s@/?#"'`<>[\]{}]+)@[^\s/?#@"'`<>]+/dg,
    secret: (match) => {
      const password = match.groups?.password ?? '';
      return password.length >= 4 && !isPlaceholder(password) ? groupRange(match, 'password') : undefined;
    },
  },
  { kind: assignmentKind, pattern: ASSIGNMENT_PATTERN, secret: assignmentSecret },
  {
    kind: 'high-entropy .env value',
    pattern:
      /^[ \t]*(?:export[ \t]+)?(?<key>[A-Z][A-Z0-9_]+)=(?:"(?<dq>[^"\r\n]*)"|'(?<sq>[^'\r\n]*)'|(?<bare>[^\s"'#]+))[ \t]*(?:#.*)?\r?$/dgm,
    secret: envSecret,
  },
];

/** What the project's own rules find in `text`, in rule order. */
export function extraRuleMatches(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const rule of EXTRA_RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const range = rule.secret(match, text);
      if (range) {
        const kind = typeof rule.kind === 'string' ? rule.kind : rule.kind(match);
        found.push({ kind, start: range[0], end: range[1] });
      }
    }
  }
  return found;
}

function wholeMatch(match: RegExpExecArray): Range {
  return [match.index, match.index + match[0].length];
}

function groupRange(match: RegExpExecArray, group: string): Range | undefined {
  return match.indices?.groups?.[group];
}

/**
 * Whether a PEM block's body, less its header lines (`Proc-Type: …`), a PGP armour checksum
 * (`=AbCd`) and line breaks (also JSON's `\\n`), is base64 of some length and variety.
 */
function pemBody(body: string): boolean {
  const base64 = body
    .split(/\r?\n|\\n/)
    .filter((line) => !line.includes(':') && !line.startsWith('='))
    .join('')
    .replace(/\s/g, '');
  return /^[A-Za-z0-9+/]{40,}=*$/.test(base64) && new Set(base64).size >= 16;
}

/** The whole token, when the part after its prefix looks generated. */
function randomBody(match: RegExpExecArray): Range | undefined {
  return looksRandom(match.groups?.body ?? '') ? wholeMatch(match) : undefined;
}

/** The value of a `.env` line that holds a secret, under a key that does not name something public (`GIT_SHA`, `CLIENT_ID`, …). */
function envSecret(match: RegExpExecArray, text: string): Range | undefined {
  const indices = match.indices?.groups ?? {};
  const range = indices.dq ?? indices.sq ?? indices.bare;
  if (!range || PUBLIC_ENV_KEY.test(match.groups?.key ?? '')) {
    return undefined;
  }
  return randomEnvValue(text.slice(range[0], range[1])) ? range : undefined;
}

/** Long and random enough, more than one kind of character, and no path, URL, UUID, placeholder or run of words. */
function randomEnvValue(value: string): boolean {
  if (value.length < ENV_MIN_LENGTH || shannonEntropy(value) < ENV_MIN_ENTROPY || characterClasses(value) < 2) {
    return false;
  }
  const wordy = /^[A-Za-z]+(?:[-_ .,][A-Za-z]+)*$/.test(value);
  return !wordy && !isPathOrUrl(value) && !isUuid(value) && !isPlaceholder(value);
}
