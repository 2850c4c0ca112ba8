// The extension's own log file (its LogOutputChannel), which the harness keeps under the run's user data folder:
// read to check that a fault leaves no error loop behind.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LOG_NAME = join('multichat.multichat-sessions', 'Multichat.log');

function logFile(): string {
  const logs = join(process.env.HOME ?? '', '..', 'userData', 'logs');
  const candidates = existsSync(logs)
    ? readdirSync(logs).flatMap((session) =>
        readdirSync(join(logs, session))
          .filter((host) => host.startsWith('exthost'))
          .map((host) => join(logs, session, host, LOG_NAME)),
      )
    : [];
  const found = candidates.filter((file) => existsSync(file)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (found.length === 0) {
    throw new Error(`no Multichat log under ${logs}: run these tests through scripts/vscode-host/run-tests.mjs`);
  }
  return found[0];
}

/** The log's error lines so far. */
export function loggedErrors(): string[] {
  return readFileSync(logFile(), 'utf8')
    .split('\n')
    .filter((line) => line.includes('[error]'));
}
