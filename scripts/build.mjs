// Bundles the CLI and the extension with esbuild (CommonJS, Node 20, `vscode` left external)
// and puts sql.js's wasm beside the bundles, where src/stores/sqlite loads it from.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

mkdirSync('dist', { recursive: true });
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/cli.js', 0o755);
// Search runs its first pass on worker threads: the worker is its own entry, beside the bundles.
await build({ ...common, entryPoints: ['src/stores/json/search/scanWorker.ts'], outfile: 'dist/scanWorker.js' });
if (existsSync('src/extension/extension.ts')) {
  await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' });
}
// The chat webview runs in a browser sandbox: its own bundle, no Node, no externals.
await build({
  entryPoints: ['src/webview/chat.ts'],
  outfile: 'media/chat/chat.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
});
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');
