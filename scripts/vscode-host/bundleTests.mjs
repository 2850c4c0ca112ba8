// Bundles the host test suites (CommonJS, Node 20) for `extensionTestsPath`: an `index.ts` and every *.test.ts
// beside it, into a folder under .vscode-test/. Two sets: test/integration (run against the development copy)
// and test/integration/installed (run against the installed .vsix, by vsix-smoke.mjs), each with its own entry.
// `vscode` is provided by the extension host; mocha and sql.js (which finds its wasm with require.resolve) are
// required at run time from the project's node_modules.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALLED_TESTS_OUT, ROOT, TESTS_OUT } from './paths.mjs';

const TESTS_SRC = join(ROOT, 'test', 'integration');
const INSTALLED_SRC = join(TESTS_SRC, 'installed');

function findSuites(dir, skip) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return path === skip ? [] : findSuites(path, skip);
    }
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

async function bundleSuites(source, out, skip) {
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: [join(source, 'index.ts'), ...findSuites(source, skip)],
    outdir: out,
    outbase: source,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha', 'sql.js'],
    logLevel: 'warning',
  });
  return join(out, 'index.js');
}

/** The integration suites; resolves with the absolute path of their entry, the `extensionTestsPath`. */
export const bundleTests = () => bundleSuites(TESTS_SRC, TESTS_OUT, INSTALLED_SRC);

/** The smoke suites for the installed .vsix. */
export const bundleInstalledTests = () => bundleSuites(INSTALLED_SRC, INSTALLED_TESTS_OUT);
