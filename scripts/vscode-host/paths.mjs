// Where the harness keeps things. Everything it installs or generates lives under .vscode-test/ (git-ignored).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // = VS Code 1.100.3, the newest that runs on Node 20
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, '.vscode-test');
// VSCODE_HOST_INSTALL_DIR may point at a cache shared between clones; the default lives in this checkout.
export const INSTALL_DIR = process.env.VSCODE_HOST_INSTALL_DIR ? resolve(process.env.VSCODE_HOST_INSTALL_DIR) : join(CACHE, 'code-server');
export const MARKER = join(INSTALL_DIR, '.installed');
export const CODE_SERVER = join(INSTALL_DIR, 'node_modules', 'code-server');
export const VSCODE_DIR = join(CODE_SERVER, 'lib', 'vscode');
export const SERVER_MAIN = join(VSCODE_DIR, 'out', 'server-main.js');
export const TESTS_OUT = join(CACHE, 'out');
export const INSTALLED_TESTS_OUT = join(CACHE, 'out-installed');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
