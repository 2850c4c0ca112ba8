// The extension's own log file (its LogOutputChannel), which the harness keeps under the run's user data folder:
// read to check that a fault leaves no error loop behind. The VS Code server writes it under
// logs/<session>/exthost<N>/, desktop VS Code (test-electron.mjs) under logs/<session>/window<N>/exthost/.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LOG_NAME = join('multichat.multichat-sessions', 'Multichat.log');

/** The extension host folders under one session's log folder. */
function hostFolders(session: string): string[] {
  return readdirSync(session).flatMap((name) => {
    if (name.startsWith('exthost')) {
      return [join(session, name)];
    }
    return name.startsWith('window') ? [join(session, name, 'exthost')] : [];
  });
}

function logFile(): string {
  const logs = join(process.env.HOME ?? '', '..', 'userData', 'logs');
  const candidates = existsSync(logs) ? readdirSync(logs).flatMap((session) => hostFolders(join(logs, session))) : [];
  const found = candidates
    .map((host) => join(host, LOG_NAME))
    .filter((file) => existsSync(file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (found.length === 0) {
    throw new Error(`no Multichat log under ${logs}: run these tests through the harness (npm run test:vscode or test:electron)`);
  }
  return found[0];
}

/** The log's error lines so far. */
export function loggedErrors(): string[] {
  return readFileSync(logFile(), 'utf8')
    .split('\n')
    .filter((line) => line.includes('[error]'));
}
