// The sample workspace `npm start` opens: outside the repository (so Git in the workbench does not find this
// checkout as a parent repository and ask about it), in the user's cache folder, and seeded with a few sessions
// only while it has none (it keeps what the user made there between runs).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './vscode-host/paths.mjs';

/** ~/.cache/multichat-sessions/sample-workspace on Linux ($XDG_CACHE_HOME if set), the platform's cache elsewhere. */
export function sampleWorkspaceDir(env = process.env, platform = process.platform) {
  const cache = platform === 'win32' ? env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local')
    : platform === 'darwin' ? join(homedir(), 'Library', 'Caches')
      : env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'multichat-sessions', 'sample-workspace');
}

/** Adds the tour sessions through the CLI (dist/cli.js), only when the folder has no store yet; says whether it did. */
export function seedSampleWorkspace(workspace) {
  if (existsSync(join(workspace, '.multichat'))) {
    return false;
  }
  mkdirSync(workspace, { recursive: true });
  const store = `json:${join(workspace, '.multichat')}`;
  const cli = (args, input = '') =>
    execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--store', store, ...args], { encoding: 'utf8', input }).trim();
  const id = cli(['new', '--title', 'Welcome to Multichat Sessions', '--tag', 'tour']);
  const messages = [
    { role: 'user', content: 'What does this extension keep for me?' },
    { role: 'assistant', content: 'Every chat session, durably: each message is on disk before it is shown.\n\n```sh\nmultichat list\n```\n\nTry **New Session…** in the Multichat view.' },
  ];
  cli(['append', id, '--jsonl'], messages.map((message) => JSON.stringify(message)).join('\n'));
  cli(['pin', id]);
  cli(['new', '--title', 'Flaky CI on Tuesdays', '--tag', 'ci']);
  return true;
}
