// Bundles test/integration/index.ts and every *.test.ts beside it into .vscode-test/out/ (CommonJS, Node 20).
// `vscode` is provided by the extension host; mocha and sql.js (which finds its wasm with require.resolve) are
// required at run time from the project's node_modules.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TESTS_OUT } from './paths.mjs';

const TESTS_SRC = join(ROOT, 'test', 'integration');

function findSuites(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return findSuites(path);
    }
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Returns the absolute path of the bundled test entry, the `extensionTestsPath`. */
export async function bundleTests(plugins = []) {
  rmSync(TESTS_OUT, { recursive: true, force: true });
  await build({
    entryPoints: [join(TESTS_SRC, 'index.ts'), ...findSuites(TESTS_SRC)],
    outdir: TESTS_OUT,
    outbase: TESTS_SRC,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha', 'sql.js'],
    logLevel: 'warning',
    plugins,
  });
  return join(TESTS_OUT, 'index.js');
}
