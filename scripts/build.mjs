// Bundles the CLI and the extension with esbuild (CommonJS, Node 20, `vscode` left external)
// and puts sql.js's wasm beside the bundles, where src/stores/sqlite loads it from.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
if (existsSync('src/extension/extension.ts')) {
  await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' });
}
// The chat webview runs in a browser sandbox: its own bundle, no Node, no externals. The packages bundled into
// it (markdown-it, highlight.js, …) ship inside it, so their licences head the file, as their terms ask.
const webview = {
  entryPoints: ['src/webview/chat.ts'],
  outfile: 'media/chat/chat.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};
const { metafile } = await build({ ...webview, write: false, sourcemap: false, metafile: true });
await build({ ...webview, banner: { js: bundledLicences(Object.keys(metafile.inputs)) } });
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');

/** One comment with the licence text of every npm package among a bundle's inputs. */
function bundledLicences(inputs) {
  const packages = [...new Set(inputs.map((input) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1]).filter(Boolean))].sort();
  const sections = packages.map((name) => {
    const dir = join('node_modules', name);
    const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((entry) => /^(licen[cs]e|copying)(\.|$)/i.test(entry));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `${license} (no licence file in the package)`;
    return `${name} ${version} (${license})\n\n${text}`;
  });
  return `/*! Bundled packages and their licences:\n\n${sections.join('\n\n---\n\n').replaceAll('*/', '* /')}\n*/`;
}
