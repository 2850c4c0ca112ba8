// `npm start`: opens the product for a new user. Starts a real VS Code (the server inside the
// code-server npm package, installed and cached by scripts/vscode-host/install.mjs) with the
// extension loaded on a sample workspace, and prints the address to open in a browser.
// The sample workspace (.vscode-test/sample-workspace) keeps its sessions between runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { workbenchUrl } from './vscode-host/browser.mjs';
import { CACHE, ROOT } from './vscode-host/paths.mjs';
import { createSandbox, removeSandbox } from './vscode-host/sandbox.mjs';
import { killGroup, startServer, stopGroup, waitForServer } from './vscode-host/server.mjs';

const port = Number(process.env.PORT || 8123);
const workspace = join(CACHE, 'sample-workspace');

function seedSampleWorkspace() {
  if (existsSync(join(workspace, '.multichat'))) {
    return;
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
}

async function main() {
  seedSampleWorkspace();
  const sandbox = createSandbox();
  const server = startServer(sandbox, port);
  const stop = async () => {
    await stopGroup(server);
    removeSandbox(sandbox);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('exit', () => killGroup(server));
  await waitForServer(port, server, 60_000);
  console.log('\nMultichat Sessions is running in a real VS Code. Open this address in a browser:\n');
  console.log(`  ${workbenchUrl(port, { workspace, extensionDevelopmentPath: ROOT })}\n`);
  console.log('Press Ctrl+C to stop.');
}

main().catch((error) => {
  console.error(`start: ${error.message}`);
  process.exit(1);
});
