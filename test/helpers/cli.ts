import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { makeTempDir } from './tempDir';

/** Runs the built CLI (dist/cli.js) as a real child process. */
export const CLI_PATH = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { store?: string; input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
  const storeArgs = options.store ? ['--store', options.store] : [];
  const result = spawnSync(process.execPath, [CLI_PATH, ...storeArgs, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    cwd: options.cwd,
    env: { ...process.env, MULTICHAT_STORE: '', ...options.env },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like cli(), but fails the test with the CLI's own words unless it exits 0; returns stdout. */
export function cliOk(args: string[], options: Parameters<typeof cli>[1] = {}): string {
  const result = cli(args, options);
  if (result.code !== 0) {
    throw new Error(`multichat ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return result.stdout;
}

export function cliJson<T = unknown>(args: string[], options: Parameters<typeof cli>[1] = {}): T {
  return JSON.parse(cliOk(args, options)) as T;
}

export function spawnCli(args: string[], store: string): ChildProcess {
  return spawn(process.execPath, [CLI_PATH, '--store', store, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

export const BACKENDS = ['json', 'sqlite'] as const;

export function storeSpecFor(backend: (typeof BACKENDS)[number], directory: string): string {
  return backend === 'json' ? `json:${join(directory, 'store')}` : `sqlite:${join(directory, 'store.sqlite')}`;
}

/**
 * A fresh store of `backend` in its own temp folder for every test of the enclosing describe;
 * `under` names another place for those folders (a tmpfs the test mounted).
 */
export function useFreshStore(backend: (typeof BACKENDS)[number], under?: () => string): { readonly spec: string; readonly dir: string } {
  const fresh = { spec: '', dir: '' };
  let cleanup = (): void => undefined;
  beforeEach(() => {
    const temp = makeTempDir('multichat-test-', under?.());
    cleanup = temp.cleanup;
    fresh.dir = temp.path;
    fresh.spec = storeSpecFor(backend, temp.path);
  });
  afterEach(() => cleanup());
  return fresh;
}
