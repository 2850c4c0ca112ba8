// Headless Debian Chromium driven by playwright-core; the workbench URL that loads an extension (and its tests).
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './paths.mjs';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Signals are handled by the caller, which must clean up the server too; playwright kills Chromium on exit anyway. */
export async function launchBrowser(profileDir, viewport = { width: 1400, height: 850 }) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/**
 * `extensionTestsPath` omitted opens the workbench with the extension loaded but no tests. `workspace` is a folder,
 * or a .code-workspace file (a multi-root workspace).
 */
export function workbenchUrl(port, { workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const authority = `127.0.0.1:${port}`;
  const remote = (path) => `vscode-remote://${authority}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) {
    payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  }
  const opened = workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
  return `http://${authority}/?${opened}=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Synchronous last resort when closing the browser hangs (a loaded machine): SIGKILL to the Chromium that owns
 * `profileDir`, named by the profile's SingletonLock link ("host-pid"). Without it, a Chromium still shutting
 * down rewrites its profile after the run's folder was removed. Returns the pid, or undefined.
 */
export function killBrowser(profileDir) {
  try {
    const pid = Number(readlinkSync(join(profileDir, 'SingletonLock')).split('-').pop());
    // A lock left by a killed Chromium may name a pid since reused: only kill a Chromium on this profile.
    if (Number.isInteger(pid) && pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profileDir)) {
      // Playwright starts Chromium as a process group leader: one kill reaches its helpers too.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        process.kill(pid, 'SIGKILL');
      }
      return pid;
    }
  } catch {
    // No lock (never started, or already gone) or no such process.
  }
  return undefined;
}
