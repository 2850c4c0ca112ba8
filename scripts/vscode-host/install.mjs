// Installs the VS Code server from the code-server npm package into .vscode-test/code-server, offline-safe
// (npm registry + local tools only). Idempotent: a marker records what was installed; a sane install is kept.
// Usage: node scripts/vscode-host/install.mjs [--force]
import { copyFileSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SERVER_VERSION, INSTALL_DIR, MARKER } from './paths.mjs';
import { elapsed, run } from './proc.mjs';
import { nodeHeadersDir, requireInstallPackages } from './prereqs.mjs';
import { expectedMarker, findOnPath, isInstalled, nativeModules, verifyNativeModules } from './installChecks.mjs';

function npm(cwd, args, options = {}) {
  return run('npm', [...args, '--no-audit', '--no-fund'], { cwd, env: npmEnv(), ...options });
}

function npmEnv() {
  return {
    ...process.env,
    npm_config_nodedir: nodeHeadersDir(), // else node-gyp downloads headers from the internet
    npm_config_update_notifier: 'false',
    npm_config_progress: 'false',
  };
}

/** node-pty's postinstall only writes compile_commands.json via `npx node-gyp` (would fetch node-gyp): its failure
 * is tolerated; verifyNativeModules proves the module was built. */
async function rebuildNative(vscode) {
  const modules = nativeModules(vscode);
  await npm(vscode, ['rebuild', ...modules.filter((name) => name !== 'node-pty')]);
  await npm(vscode, ['rebuild', 'node-pty'], { quiet: true }).catch(() => console.log('node-pty: its optional postinstall failed (expected offline); the build is checked below'));
}

/** Replays code-server's postinstall.sh by hand, minus its GitHub download of ripgrep. */
async function installInto(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'vscode-host-cache', private: true }));
  await npm(dir, ['install', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`]);
  await npm(dir, ['rebuild', 'argon2']); // its prebuilt download fails offline; falls back to node-gyp
  const vscode = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  await npm(vscode, ['install', '--omit=dev', '--ignore-scripts']);
  await rebuildNative(vscode);
  const rgDir = join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync(findOnPath('rg'), join(rgDir, 'rg'));
  symlinkSync('node_modules', join(vscode, 'node_modules.asar'));
  symlinkSync('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
  symlinkSync('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
  await npm(join(vscode, 'extensions'), ['install', '--omit=dev']);
  await verifyNativeModules(vscode);
}

async function main() {
  const force = process.argv.includes('--force');
  if (!force && isInstalled()) {
    console.log(`VS Code server (code-server ${CODE_SERVER_VERSION}) already installed in ${INSTALL_DIR}`);
    return;
  }
  requireInstallPackages();
  const started = Date.now();
  // Build in a side folder and rename at the end, so an interrupted install never looks installed.
  const staging = `${INSTALL_DIR}.partial`;
  rmSync(staging, { recursive: true, force: true });
  await installInto(staging);
  writeFileSync(MARKER.replace(INSTALL_DIR, staging), JSON.stringify({ ...expectedMarker(), installedAt: new Date().toISOString() }));
  rmSync(INSTALL_DIR, { recursive: true, force: true });
  renameSync(staging, INSTALL_DIR);
  console.log(`VS Code server (code-server ${CODE_SERVER_VERSION}) installed in ${INSTALL_DIR} in ${elapsed(started)}`);
}

main().catch((error) => {
  console.error(`install failed: ${error.message}`);
  process.exit(1);
});
