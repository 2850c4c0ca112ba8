import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { describeFinding, findSecrets, redactSession, redactText, scanText, type SecretMatch } from '../src/core/secrets/secretScan';

// Every token here is made at run time from a seeded generator, so that the repository holds no
// string that looks like a real credential to a push-protection scanner.
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
let seed = 20260601;

/** `length` characters of `alphabet`, with a letter and a digit in them when the alphabet has both. */
function fake(length: number, alphabet = ALNUM): string {
  const wantsMix = /[A-Za-z]/.test(alphabet) && /\d/.test(alphabet);
  for (;;) {
    let out = '';
    while (out.length < length) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      out += alphabet[Math.floor(seed / 65536) % alphabet.length];
    }
    if (!wantsMix || (/[A-Za-z]/.test(out) && /\d/.test(out))) {
      return out;
    }
  }
}

/** A freshly generated private key in PEM, without its final line break. */
function pem(type: 'rsa' | 'ec' | 'ed25519', format: 'pkcs1' | 'sec1' | 'pkcs8'): string {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return (pair.privateKey.export({ type: format, format: 'pem' }) as string).trimEnd();
}

interface Case {
  name: string;
  kind: string;
  secret: string;
  /** The text around the secret. */
  text: (secret: string) => string;
}

const GITHUB = 'ghp_' + fake(36);
const GITLAB = 'glpat-' + fake(20);

const CASES: Case[] = [
  { name: 'GitHub classic token', kind: 'GitHub token', secret: GITHUB, text: (s) => `my token is ${s}, keep it safe` },
  { name: 'GitHub fine-grained token', kind: 'GitHub token', secret: `github_pat_${fake(22)}_${fake(59)}`, text: (s) => `GH_TOKEN ${s}` },
  {
    name: 'Slack bot token',
    kind: 'Slack token',
    secret: `xoxb-${fake(12, DIGITS)}-${fake(13, DIGITS)}-${fake(24)}`,
    text: (s) => `slack: ${s}\n`,
  },
  { name: 'AWS access key id alone', kind: 'AWS access key', secret: 'AKIA' + fake(16, BASE32), text: (s) => `the key ${s} was rotated` },
  { name: 'AWS temporary access key id', kind: 'AWS access key', secret: 'ASIA' + fake(16, BASE32), text: (s) => `(${s})` },
  {
    name: 'AWS secret access key (range of the value, not the key name)',
    kind: 'AWS secret access key',
    secret: fake(40, ALNUM + '/+'),
    text: (s) => `[default]\naws_secret_access_key = ${s}\nregion = eu-west-1`,
  },
  { name: 'OpenAI classic key', kind: 'OpenAI API key', secret: `sk-${fake(20)}${'T3Blb' + 'kFJ'}${fake(20)}`, text: (s) => `key: ${s}` },
  { name: 'OpenAI project key', kind: 'OpenAI API key', secret: 'sk-proj-' + fake(120, ALNUM + '_-'), text: (s) => `client = OpenAI(api_key="${s}")` },
  { name: 'OpenAI service account key', kind: 'OpenAI API key', secret: 'sk-svcacct-' + fake(64), text: (s) => `use ${s} for CI` },
  { name: 'GitLab personal token', kind: 'GitLab token', secret: GITLAB, text: (s) => `glab auth login --token ${s}` },
  { name: 'GitLab deploy token', kind: 'GitLab token', secret: 'gldt-' + fake(20), text: (s) => `deploy with ${s}.` },
  {
    name: 'https URL with a password',
    kind: 'URL with password',
    secret: fake(16),
    text: (s) => `git clone https://deploy:${s}@git.example.com/team/repo.git`,
  },
  {
    name: 'Redis URL with a password and no user',
    kind: 'URL with password',
    secret: `${fake(10)}%40${fake(4)}`,
    text: (s) => `REDIS=redis://:${s}@cache.internal:6379/0`,
  },
  { name: 'PostgreSQL URL with a password', kind: 'URL with password', secret: fake(14), text: (s) => `postgres://app:${s}@db:5432/app` },
  { name: 'password=…', kind: 'password assignment', secret: 'hunter2', text: (s) => `password=${s}` },
  { name: 'spaced password assignment', kind: 'password assignment', secret: 'hunter2', text: (s) => `password = ${s}` },
  { name: 'JSON password', kind: 'password assignment', secret: fake(12), text: (s) => `{ "user": "app", "password": "${s}" }` },
  { name: 'password on its own chat line', kind: 'password assignment', secret: 'letmein!', text: (s) => `Login: admin\nPassword: ${s}\n` },
  {
    name: 'password in a connection string',
    kind: 'password assignment',
    secret: fake(10),
    text: (s) => `Server=db;User Id=app;Password=${s};Database=main`,
  },
  { name: 'API key assignment', kind: 'credential assignment', secret: fake(32), text: (s) => `api_key = "${s}"` },
  { name: 'high-entropy .env value', kind: 'high-entropy .env value', secret: fake(32, ALNUM + '+/'), text: (s) => `APP_SIGNING_SALT=${s}\nLOG_LEVEL=debug` },
  { name: 'quoted exported .env value', kind: 'high-entropy .env value', secret: fake(24), text: (s) => `export SENTRY_DSN_KEY_B="${s}"` },
  { name: 'bearer token', kind: 'bearer token', secret: fake(40), text: (s) => `curl -H "Authorization: Bearer ${s}" https://api.example.com` },
  { name: 'RSA private key (PKCS#1)', kind: 'private key', secret: pem('rsa', 'pkcs1'), text: (s) => `here is the key:\n${s}\nthanks` },
  { name: 'EC private key (SEC1)', kind: 'private key', secret: pem('ec', 'sec1'), text: (s) => `${s}\n` },
  { name: 'Ed25519 private key (PKCS#8)', kind: 'private key', secret: pem('ed25519', 'pkcs8'), text: (s) => `key:\n${s}` },
  {
    name: 'token behind a secretlint-disable comment',
    kind: 'GitHub token',
    secret: 'ghp_' + fake(36),
    text: (s) => `// secretlint-disable\nconst t = "${s}";`,
  },
];

const NEGATIVES: [string, string][] = [
  ['prose', 'Thanks! The build passes now; I will open a pull request after lunch and ask for a review.'],
  ['prose with a colon', 'The secret: practice daily, and keep your password manager up to date.'],
  ['password read from input', 'password = input("Password: ")'],
  ['token from a call', 'const token = getToken();'],
  ['typed parameters', 'function login(user: string, password: string): Promise<Token> {'],
  ['interface fields', 'interface Options {\n  apiKey: string;\n  secret?: string;\n  token: CancellationToken\n}'],
  ['environment lookup', 'password = os.environ["DB_PASSWORD"]'],
  ['keyword arguments', 'conn = connect(host=host, password=db_password)'],
  ['dotted reference', 'secret = config.secret'],
  ['token counts', 'max_tokens=4096 and token_count: 12'],
  ['UUID', 'request id 550e8400-e29b-41d4-a716-446655440000 failed'],
  ['git commit sha', `fixed in commit ${fake(40, HEX)} (short ${fake(7, HEX)})`],
  ['public ids in .env', `GIT_SHA=${fake(40, HEX)}\nREQUEST_ID=550e8400-e29b-41d4-a716-446655440000\nCLIENT_ID=${fake(24)}`],
  [
    'base64 image',
    '![dot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)',
  ],
  ['AWS documentation key', `aws_access_key_id = ${'AKIA' + 'IOSFODNN7' + 'EXAMPLE'}`],
  ['masked password', 'password=***'],
  ['default password word', 'password=changeme'],
  ['template placeholder', 'password: <your password>'],
  ['variable reference', 'password=${DB_PASSWORD}'],
  ['empty value', '"password": ""'],
  ['upper-case placeholder', 'api_key=YOUR_API_KEY'],
  ['CI secret reference', 'token: ${{ secrets.GITHUB_TOKEN }}'],
  ['URL with a port', 'https://example.com:8080/path?q=1'],
  ['URL with a user only', 'ssh://git@example.com/team/repo.git'],
  ['URL with a variable password', 'https://user:${TOKEN}@example.com/x'],
  ['.env URL without credentials', 'DATABASE_URL=postgres://localhost:5432/app'],
  ['.env path', 'PWD=/home/dev/projects/multichat'],
  ['.env words', 'NODE_ENV=production\nAPP_TITLE=MultichatSessionsForTeams'],
  ['placeholder private key', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
  ['a constant named after a password', 'export declare const INVALID_USERNAME_OR_PASSWORD = "invalidUserNameOrPassword";'],
  ['a numeric constant', 'export declare const SIGN_IN_SUBMIT_PASSWORD = 100004;'],
  ['a quoted path', "  PWD: '/Users/dev',"],
  ['a URL syntax', '`redis://[user[:password]@]host[:port][/db][?options]`'],
  ['lexer tokens', "{ token: 'tag:', kind: 'empty' }, { token: 'role:robot', kind: 'role' }"],
  ['optional chaining', "const password = match.groups?.password ?? '';"],
  ['a short query password', 'redis://host:6379?password=pw&prefix=x'],
  ['redacted text', 'password=[secret redacted: password assignment] and [secret redacted: GitHub token]'],
];

/** A chat message of about 10 KB: prose, code and a few secrets. */
function tenKilobyteMessage(): string {
  const paragraph = [
    'Here is how to fix the build: run `npm ci`, then look at src/core/search.ts line 42, where',
    'parseQuery(text: string) returns undefined for https://example.com/docs?x=1 inputs.',
    '```ts',
    'const config = loadConfig(path.join(root, ".multichat"));',
    'if (!config.ok) { throw new Error(`bad config ${config.error}`); }',
    '```',
    '',
  ].join('\n');
  let text = `token ${GITHUB}\npassword=hunter2\n`;
  while (text.length < 10_240) {
    text += paragraph;
  }
  return text;
}

describe('secrets in chat text', () => {
  for (const { name, kind, secret, text } of CASES) {
    it(`${name}: found, with its kind and the exact range of the secret`, async () => {
      const content = text(secret);
      const matches = await scanText(content);
      assert.deepEqual(matches, [{ kind, start: content.indexOf(secret), end: content.indexOf(secret) + secret.length }], name);
    });
  }

  for (const [name, content] of NEGATIVES) {
    it(`${name}: nothing found`, async () => {
      assert.deepEqual(await scanText(content), [], content);
    });
  }

  it('finds nothing in empty or blank text', async () => {
    assert.deepEqual(await scanText(''), []);
    assert.deepEqual(await scanText(' \n\t'), []);
  });

  it('returns matches sorted by start, overlaps merged into one with the first kind', async () => {
    const project = 'sk-proj-' + fake(80);
    // The OpenAI rule, the assignment rule and the .env rule all cover the value: one match.
    const content = `password=hunter2\nOPENAI_API_KEY=${project}\n# ${GITHUB}`;
    assert.deepEqual(await scanText(content), [
      { kind: 'password assignment', start: 9, end: 16 },
      { kind: 'OpenAI API key', start: content.indexOf(project), end: content.indexOf(project) + project.length },
      { kind: 'GitHub token', start: content.indexOf(GITHUB), end: content.indexOf(GITHUB) + GITHUB.length },
    ]);
  });

  it('keeps ranges exact in a text that opens with a byte order mark', async () => {
    const content = `\uFEFFtoken ${GITHUB}`;
    assert.deepEqual(await scanText(content), [{ kind: 'GitHub token', start: 7, end: 7 + GITHUB.length }]);
  });

  it('leaves no performance marks behind, unlike secretlint core (its profiler keeps every mark)', async () => {
    const before = performance.getEntriesByType('mark').length;
    for (let run = 0; run < 20; run += 1) {
      await scanText(`token ${GITHUB} in a message long enough to lint`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(performance.getEntriesByType('mark').length, before);
  });

  it('scans a 10 KB message well under 10 ms once secretlint is loaded', async () => {
    const content = tenKilobyteMessage();
    assert.equal((await scanText(content)).length, 2);
    const times: number[] = [];
    for (let run = 0; run < 7; run += 1) {
      const started = performance.now();
      await scanText(content);
      times.push(performance.now() - started);
    }
    const median = times.sort((a, b) => a - b)[3];
    assert.ok(median < 10, `median ${median.toFixed(2)} ms`);
  });
});

describe('redaction', () => {
  it('replaces only the secrets, the rest of the text byte for byte', async () => {
    const content = `Héllo 👋\r\npassword=hunter2\r\nand ${GITHUB} — bye\r\n`;
    const redacted = redactText(content, await scanText(content));
    assert.equal(redacted, 'Héllo 👋\r\npassword=[secret redacted: password assignment]\r\nand [secret redacted: GitHub token] — bye\r\n');
    assert.deepEqual(await scanText(redacted), []);
  });

  it('never leaves any part of a secret behind, for every kind', async () => {
    for (const { name, secret, text } of CASES) {
      const content = text(secret);
      const redacted = redactText(content, await scanText(content));
      assert.ok(!redacted.includes(secret), name);
      assert.ok(redacted.includes('[secret redacted: '), name);
    }
  });

  it('merges overlapping and unsorted ranges, keeping the first kind, and clamps ranges to the text', () => {
    const matches: SecretMatch[] = [
      { kind: 'B', start: 5, end: 12 },
      { kind: 'A', start: 2, end: 8 },
      { kind: 'C', start: 14, end: 99 },
    ];
    assert.equal(redactText('0123456789abcdefgh', matches), '01[secret redacted: A]cd[secret redacted: C]');
    assert.equal(redactText('unchanged', []), 'unchanged');
  });
});

describe('secrets in a session', () => {
  const awsKey = 'AKIA' + fake(16, BASE32);
  const session = {
    id: 's-1',
    title: `deploy with ${awsKey}`,
    messages: [
      { id: 'm-1', role: 'user', content: 'hello, can you help me deploy?' },
      { id: 'm-2', role: 'user', content: 'sure: password=hunter2 is what I use' },
      { id: 'm-abc', role: 'assistant', content: `use ${GITHUB}` },
    ],
  };

  it('names the title, or the message by position and id', async () => {
    assert.deepEqual(await findSecrets(session), [
      { messageId: null, index: null, kind: 'AWS access key', start: 12, end: 32 },
      { messageId: 'm-2', index: 2, kind: 'password assignment', start: 15, end: 22 },
      { messageId: 'm-abc', index: 3, kind: 'GitHub token', start: 4, end: 4 + GITHUB.length },
    ]);
  });

  it('redacts a copy of the session and leaves the input untouched', async () => {
    const before = structuredClone(session);
    const redacted = redactSession(session, await findSecrets(session));
    assert.deepEqual(session, before);
    assert.notEqual(redacted, session);
    assert.deepEqual(redacted, {
      id: 's-1',
      title: 'deploy with [secret redacted: AWS access key]',
      messages: [
        { id: 'm-1', role: 'user', content: 'hello, can you help me deploy?' },
        { id: 'm-2', role: 'user', content: 'sure: password=[secret redacted: password assignment] is what I use' },
        { id: 'm-abc', role: 'assistant', content: 'use [secret redacted: GitHub token]' },
      ],
    });
    assert.deepEqual(await findSecrets(redacted), []);
  });

  it('describes where a secret is and its kind, never the secret', async () => {
    const findings = await findSecrets(session);
    assert.deepEqual(findings.map(describeFinding), [
      'the session title holds an AWS access key',
      'message 2 (id m-2) holds a password assignment',
      'message 3 (id m-abc) holds a GitHub token',
    ]);
    for (const { secret, text } of CASES) {
      const many = await findSecrets({ title: '', messages: [{ id: 'm-x', content: text(secret) }] });
      for (const finding of many) {
        assert.ok(!describeFinding(finding).includes(secret.slice(0, 8)), describeFinding(finding));
      }
    }
  });
});
