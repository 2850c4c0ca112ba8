// `npm start`: opens the product for a new user. Starts a real VS Code (the server inside the code-server npm
// package, installed and cached by scripts/vscode-host/install.mjs) exactly as a product run, with none of the
// test-only flags (scripts/vscode-host/productServer.mjs), with the extension loaded on a sample workspace, and
// prints the address to open in a browser. The sample workspace (sampleWorkspace.mjs) lives outside the
// repository and keeps its sessions between runs.
import { workbenchUrl } from './vscode-host/browser.mjs';
import { ROOT } from './vscode-host/paths.mjs';
import { startProductServer } from './vscode-host/productServer.mjs';
import { createSandbox, removeSandbox } from './vscode-host/sandbox.mjs';
import { killGroup, stopGroup, waitForServer } from './vscode-host/server.mjs';
import { sampleWorkspaceDir, seedSampleWorkspace } from './sampleWorkspace.mjs';

const port = Number(process.env.PORT || 8123);

async function main() {
  const workspace = sampleWorkspaceDir();
  const seeded = seedSampleWorkspace(workspace);
  console.log(`Sample workspace: ${workspace} (${seeded ? 'new, with two example sessions' : 'kept from the last run'})`);
  const sandbox = createSandbox();
  const server = startProductServer(sandbox, port);
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
