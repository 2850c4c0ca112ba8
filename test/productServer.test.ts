// `npm start` runs the real product: the VS Code server it starts gets none of the test-only flags (the smoke-test
// driver made every dialog fail), and its sample workspace lives outside the repository.
import * as assert from 'node:assert/strict';
import { relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '..');
/** The harness is plain ESM JavaScript; loaded by URL, it is typed here by what the test uses. */
const load = <T>(path: string): Promise<T> => import(pathToFileURL(resolve(ROOT, path)).href) as Promise<T>;

interface ServerModule {
  TEST_ONLY_FLAGS: readonly string[];
  serverArguments: (sandbox: Record<string, string>, port: number, options: { testOnlyFlags?: readonly string[] }) => string[];
}

const sandbox = { userData: '/t/ud', serverData: '/t/sd', extensions: '/t/ext' };

describe('the product server (npm start)', () => {
  it('gets none of the test-only flags', async () => {
    const { TEST_ONLY_FLAGS, serverArguments } = await load<ServerModule>('scripts/vscode-host/server.mjs');
    const { PRODUCT_SERVER } = await load<{ PRODUCT_SERVER: { testOnlyFlags: readonly string[] } }>('scripts/vscode-host/productServer.mjs');
    assert.ok(TEST_ONLY_FLAGS.includes('--enable-smoke-test-driver'));
    const args = serverArguments(sandbox, 8123, PRODUCT_SERVER);
    assert.deepEqual(args.filter((arg) => TEST_ONLY_FLAGS.includes(arg)), []);
    assert.ok(!args.some((arg) => arg.startsWith('--') && /smoke|test/i.test(arg)), `unexpected test flag in ${args.join(' ')}`);
  });

  it('makes every caller say which test-only flags it wants, and accepts only those', async () => {
    const { serverArguments } = await load<ServerModule>('scripts/vscode-host/server.mjs');
    assert.throws(() => serverArguments(sandbox, 8123, {}), /say which test-only flags/);
    assert.throws(() => serverArguments(sandbox, 8123, { testOnlyFlags: ['--port'] }), /not a test-only flag: --port/);
    assert.ok(serverArguments(sandbox, 8123, { testOnlyFlags: ['--enable-smoke-test-driver'] }).includes('--enable-smoke-test-driver'));
  });

  it('opens a sample workspace outside the repository, in the user cache folder', async () => {
    const { sampleWorkspaceDir } = await load<{ sampleWorkspaceDir: (env: NodeJS.ProcessEnv, platform: string) => string }>('scripts/sampleWorkspace.mjs');
    const linux = sampleWorkspaceDir({ XDG_CACHE_HOME: '/home/u/.cache' }, 'linux');
    assert.equal(linux, '/home/u/.cache/multichat-sessions/sample-workspace');
    const byDefault = sampleWorkspaceDir({}, 'linux');
    assert.ok(relative(ROOT, byDefault).startsWith('..'), `${byDefault} is inside the repository`);
  });
});
