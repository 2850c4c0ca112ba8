// Checks the Debian packages the harness needs before doing anything slow. As root (as on this
// project's machines and CI) missing ones are installed with apt-get, so `npm start` and `npm test`
// work on a fresh machine; otherwise the error names the command to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from './paths.mjs';

const PATH_DIRS = (process.env.PATH ?? '').split(':').filter(Boolean);
const onPath = (name) => PATH_DIRS.some((dir) => existsSync(`${dir}/${name}`));

/** What install needs: the native modules compile here (kerberos needs krb5 headers), rg is copied. */
const INSTALL_NEEDS = [
  { apt: 'libkrb5-dev', ok: () => existsSync('/usr/include/krb5.h') },
  { apt: 'ripgrep', ok: () => onPath('rg') },
  { apt: 'build-essential', ok: () => onPath('make') && onPath('g++') },
  { apt: 'python3', ok: () => onPath('python3') },
];
const RUN_NEEDS = [{ apt: 'chromium', ok: () => existsSync(CHROMIUM) }];

function requirePackages(needs, what) {
  let missing = needs.filter((need) => !need.ok()).map((need) => need.apt);
  if (missing.length > 0 && canInstall()) {
    console.log(`vscode-host: ${what} needs ${missing.join(' ')}; installing with apt-get`);
    aptGet(['update', '-q']);
    aptGet(['install', '-y', '-q', '--no-install-recommends', ...missing]);
    missing = needs.filter((need) => !need.ok()).map((need) => need.apt);
  }
  if (missing.length > 0) {
    throw new Error(
      `${what} needs the Debian packages: ${missing.join(' ')}\n` +
        `  install them with: apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
}

function canInstall() {
  return process.getuid?.() === 0 && onPath('apt-get');
}

function aptGet(args) {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
}

export const requireInstallPackages = () => requirePackages(INSTALL_NEEDS, 'installing the VS Code server');
export const requireRunPackages = () => requirePackages(RUN_NEEDS, 'running the VS Code host');

/** node-gyp must build against the local Node headers; without them it downloads them (no network here). */
export function nodeHeadersDir() {
  const dir = process.env.npm_config_nodedir || '/usr';
  if (!existsSync(`${dir}/include/node/node.h`)) {
    throw new Error(`no Node headers under ${dir}/include/node; set npm_config_nodedir to a Node install with headers`);
  }
  return dir;
}
