// Helpers for install.mjs: which native modules to rebuild, and a load test of the ones the server needs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SERVER_VERSION, MARKER, SERVER_MAIN } from './paths.mjs';
import { run } from './proc.mjs';

/** What the marker must say for the cache to be reused: native modules are tied to the Node ABI. */
export const expectedMarker = () => ({ codeServer: CODE_SERVER_VERSION, nodeAbi: process.versions.modules });

export function isInstalled() {
  if (!existsSync(MARKER) || !existsSync(SERVER_MAIN)) {
    return false;
  }
  try {
    const marker = JSON.parse(readFileSync(MARKER, 'utf8'));
    const expected = expectedMarker();
    return marker.codeServer === expected.codeServer && marker.nodeAbi === expected.nodeAbi;
  } catch {
    return false; // an unreadable marker means an install to redo
  }
}

/** Runtime packages of lib/vscode with an install script (the native ones), minus Windows-only and ripgrep. */
export function nativeModules(vscodeDir) {
  const shrinkwrap = JSON.parse(readFileSync(join(vscodeDir, 'npm-shrinkwrap.json'), 'utf8'));
  return Object.entries(shrinkwrap.packages)
    .filter(([path, meta]) => path && meta.hasInstallScript && !meta.dev && !meta.optional)
    .map(([path]) => path.replace(/^.*node_modules\//, ''))
    .filter((name) => !/windows|ripgrep/.test(name));
}

export function findOnPath(name) {
  const dir = (process.env.PATH ?? '').split(':').find((entry) => entry && existsSync(join(entry, name)));
  if (!dir) {
    throw new Error(`${name} not found on PATH`);
  }
  return join(dir, name);
}

/** Loads each native module in a fresh Node, as the server will; a failed build shows up here, not at test time. */
export async function verifyNativeModules(vscodeDir) {
  const modules = ['node-pty', '@parcel/watcher', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog', 'kerberos'];
  const script = 'for (const m of process.argv.slice(1)) { require(m); }';
  await run(process.execPath, ['-e', script, ...modules], { cwd: vscodeDir });
  await run(join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'), ['--version'], { stdio: 'ignore' });
}
