// A realistic store for the rendering UI test (ui-render.mjs), written with the built CLI before the workbench
// opens, as a user's earlier work would be: eight sessions spread over the last two weeks, with Markdown, tables
// and code in several languages, one of them 1,000 messages long.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LONG_TITLE = 'Storage engine design notes';
export const LONG_COUNT = 1000;
export const CODE_TITLE = 'Parser refactor';
/** The text that marks the newest message of the long session. */
export const newestMarker = `Message ${LONG_COUNT} of ${LONG_COUNT}`;

const fence = (language, code) => `\`\`\`${language}\n${code}\n\`\`\``;

const SESSIONS = [
  {
    title: CODE_TITLE,
    hoursAgo: 0.3,
    tags: ['typescript', 'refactor'],
    messages: [
      ['user', 'The tokenizer returns `undefined` at the end of input. Can you make it a typed result instead?'],
      ['assistant', [
        '## A typed result',
        '',
        'Return a **discriminated union**, so the caller has to handle the end of input:',
        '',
        fence('ts', [
          'export type Token = { kind: "word" | "number"; text: string; offset: number };',
          'export type Next = { done: false; token: Token } | { done: true };',
          '',
          '/** Reads the next token from `source`, starting at `offset`. */',
          'export function nextToken(source: string, offset: number): Next {',
          '  const match = /\\s*(\\d+|\\w+)/y.exec(source.slice(offset));',
          '  if (!match) {',
          '    return { done: true };',
          '  }',
          '  const text = match[1];',
          '  return { done: false, token: { kind: /^\\d/.test(text) ? "number" : "word", text, offset } };',
          '}',
        ].join('\n')),
        '',
        '| Before | After |',
        '| --- | --- |',
        '| `Token \\| undefined` | `Next` |',
        '| easy to forget the check | the compiler insists |',
      ].join('\n')],
      ['user', 'And the Python prototype we compare against?'],
      ['assistant', `It keeps the same shape:\n\n${fence('python', 'def next_token(source: str, offset: int) -> tuple[str, int] | None:\n    """Returns the next token and its offset, or None at the end."""\n    match = TOKEN.match(source, offset)\n    return (match.group(1), match.start(1)) if match else None')}`],
    ],
  },
  {
    title: 'SQL index tuning',
    hoursAgo: 5,
    tags: ['sql'],
    messages: [
      ['user', 'This query takes 2 s on 5M rows. Why?'],
      ['assistant', `The filter cannot use an index:\n\n${fence('sql', "SELECT id, title\nFROM sessions\nWHERE lower(title) LIKE '%release%'\nORDER BY updated_at DESC\nLIMIT 50;")}\n\nAdd an expression index, or a full-text index:\n\n| Option | Cost | Speed-up |\n| --- | --- | --- |\n| expression index | small | prefix searches only |\n| FTS5 table | larger | any word |`],
    ],
  },
  {
    title: 'Deploy script review',
    hoursAgo: 28,
    tags: ['ops'],
    messages: [
      ['user', 'Is this safe to run twice?'],
      ['assistant', `Mostly. Make the directory creation idempotent:\n\n${fence('bash', 'set -euo pipefail\nmkdir -p "$RELEASE_DIR"\n# keep the last 5 releases only\nls -1dt "$RELEASES"/* | tail -n +6 | xargs -r rm -rf')}\n\nand the CI job:\n\n${fence('yaml', 'deploy:\n  runs-on: ubuntu-latest\n  steps:\n    - run: ./deploy.sh --env production')}`],
    ],
  },
  {
    title: 'Rust borrow checker question',
    hoursAgo: 52,
    tags: ['rust'],
    messages: [
      ['user', 'Why does this not compile?'],
      ['assistant', `You hold a shared borrow while pushing:\n\n${fence('rust', 'fn main() {\n    let mut names = vec![String::from("a")];\n    let first = &names[0];\n    names.push(String::from("b")); // error[E0502]\n    println!("{first}");\n}')}\n\nClone \`first\` or finish using it before the push.`],
    ],
  },
  {
    title: 'CSS grid layout',
    hoursAgo: 100,
    tags: ['frontend'],
    messages: [
      ['user', 'Two columns on wide screens, one on narrow ones?'],
      ['assistant', `${fence('css', '.layout {\n  display: grid;\n  grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr));\n  gap: 1rem;\n}')}\n\n${fence('html', '<main class="layout">\n  <section>One</section>\n  <section>Two</section>\n</main>')}`],
    ],
  },
  {
    title: 'Go worker pool',
    hoursAgo: 300,
    tags: ['go'],
    messages: [
      ['user', 'A bounded worker pool in Go?'],
      ['assistant', fence('go', 'func work(jobs <-chan Job, results chan<- Result, workers int) {\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < workers; i++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tfor job := range jobs {\n\t\t\t\tresults <- job.Run()\n\t\t\t}\n\t\t}()\n\t}\n\twg.Wait()\n}')],
    ],
  },
  {
    title: 'Release checklist',
    hoursAgo: 1,
    pinned: true,
    tags: ['release'],
    messages: [
      ['user', 'What is left before 0.1?'],
      ['assistant', '1. Update the changelog\n2. Tag the release\n3. Publish the `.vsix`\n\n> Remember to bump `version` in `package.json`.\n\n' + fence('diff', '-  "version": "0.0.9",\n+  "version": "0.1.0",')],
    ],
  },
  { title: LONG_TITLE, hoursAgo: 0.1, tags: ['design'], messages: longConversation() },
];

/** A long discussion: prose, lists, a table now and then, and code in several languages. */
function longConversation() {
  const languages = [['ts', 'const page = await store.list({ limit: 50 });'], ['sql', 'SELECT count(*) FROM messages;'], ['json', '{"kind": "json", "directory": ".multichat"}']];
  return Array.from({ length: LONG_COUNT }, (_, index) => {
    const n = index + 1;
    const role = index % 2 === 0 ? 'user' : 'assistant';
    const lead = `${n === LONG_COUNT ? newestMarker : `Message ${n} of ${LONG_COUNT}`}: `;
    if (role === 'user') {
      return [role, `${lead}what about the journal when the disk fills up at step ${n}?`];
    }
    const [language, code] = languages[index % languages.length];
    const extra = index % 10 === 1 ? `\n\n| step | bytes |\n| --- | --- |\n| ${n} | ${n * 512} |` : '';
    return [role, `${lead}the writer **appends** first, then renames:\n\n- write the temp file\n- fsync it\n- rename it over the target\n\n${fence(language, code)}${extra}`];
  });
}

/** The sessions as a `multichat-export` bundle: each one's messages a minute apart, its last `hoursAgo` hours ago. */
function seedBundle(now = Date.now()) {
  const at = (ms) => new Date(ms).toISOString();
  const sessions = SESSIONS.map(({ title, tags, pinned = false, hoursAgo, messages }, index) => {
    const last = now - hoursAgo * 3_600_000;
    const first = last - (messages.length - 1) * 60_000;
    return {
      id: `seed-${index + 1}`, title, tags, pinned, source: 'multichat', createdAt: at(first - 60_000), updatedAt: at(last),
      messages: messages.map(([role, content], position) => ({ id: `seed-${index + 1}-${position + 1}`, role, content, createdAt: at(first + position * 60_000) })),
    };
  });
  return { format: 'multichat-export', version: 1, exportedAt: at(now), sessions };
}

/**
 * Imports every session into the workspace's JSON store (the extension's default) with `node dist/cli.js import`,
 * so their times spread over the date groups as a user's earlier work would.
 */
export function seedStore(workspace, extensionDir) {
  const cli = join(extensionDir, 'dist', 'cli.js');
  const bundle = join(workspace, '..', 'seed-bundle.json');
  writeFileSync(bundle, JSON.stringify(seedBundle()));
  const result = spawnSync(process.execPath, [cli, '--store', `json:${join(workspace, '.multichat')}`, 'import', bundle], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`multichat import failed (exit ${result.status}): ${result.stderr.trim()}`);
  }
  return SESSIONS.length;
}
