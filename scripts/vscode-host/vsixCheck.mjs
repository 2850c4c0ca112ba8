// Checks what the packaged .vsix holds before anything installs it: the bundles, sql.js's wasm, the media,
// README, LICENSE and manifests; no sources, tests, source maps or node_modules; README images that VS Code's
// extension page and a Marketplace can show. Prints the size and the file list.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { entryBytes, readZip } from './zipEntries.mjs';
import { ROOT } from './paths.mjs';

const REQUIRED = ['extension.vsixmanifest', 'extension/package.json', 'extension/package.nls.json', 'extension/readme.md',
  'extension/LICENSE.txt', 'extension/dist/extension.js', 'extension/dist/sql-wasm.wasm',
  'extension/media/multichat.svg', 'extension/media/chat/chat.js', 'extension/media/chat/chat.css'];
const FORBIDDEN = [/^extension\/(src|test|scripts|node_modules|\.vscode-test|\.multichat)\//, /\/node_modules\//, /\.map$/,
  /(?<!\.d)\.ts$/, /tsconfig.*\.json$/, /\.vsix$/, /^extension\/dist\/cli\.js$/];
const MAX_BYTES = 3 * 1024 * 1024; // today ~0.6 MiB; far more means something was swept in by mistake
const IMAGE_MAGIC = { png: '89504e47', jpeg: 'ffd8ff', gif: '47494638' };
const README_IMAGES = /!\[[^\]]*\]\(([^)\s]+)\)|<img[^>]+src=["']([^"']+)["']/g;

/** Each image of the packaged README: an https URL, or a data: URL of a PNG, JPEG or GIF that decodes. */
function readmeImageProblems(readme) {
  return [...readme.matchAll(README_IMAGES)].map((match) => match[1] ?? match[2]).flatMap((src) => {
    if (src.startsWith('https://')) {
      return [];
    }
    const data = /^data:image\/(png|jpeg|gif);base64,([A-Za-z0-9+/=]+)$/.exec(src);
    if (data && Buffer.from(data[2], 'base64').toString('hex').startsWith(IMAGE_MAGIC[data[1]])) {
      return [];
    }
    return [`the packaged README shows an image neither VS Code nor a Marketplace can load: ${src.slice(0, 80)}`];
  });
}

function contentProblems(vsix, names) {
  const manifest = JSON.parse(entryBytes(vsix, vsix.entries.find((entry) => entry.name === 'extension/package.json')));
  const main = `extension/${manifest.main.replace(/^\.\//, '')}`;
  const wasm = readFileSync(createRequire(join(ROOT, 'package.json')).resolve('sql.js/dist/sql-wasm.wasm'));
  const packagedWasm = entryBytes(vsix, vsix.entries.find((entry) => entry.name === 'extension/dist/sql-wasm.wasm'));
  return [
    ...(names.has(main) ? [] : [`package.json's main (${manifest.main}) is not in the package`]),
    ...(packagedWasm.equals(wasm) ? [] : ['dist/sql-wasm.wasm is not the wasm of the installed sql.js']),
    ...readmeImageProblems(entryBytes(vsix, vsix.entries.find((entry) => entry.name === 'extension/readme.md')).toString('utf8')),
  ];
}

/** Throws one error listing every problem; otherwise prints what the package holds. */
export function checkVsix(path) {
  const vsix = readZip(path);
  const names = new Set(vsix.entries.map((entry) => entry.name));
  const problems = [
    ...REQUIRED.filter((name) => !names.has(name)).map((name) => `missing ${name}`),
    ...[...names].filter((name) => FORBIDDEN.some((pattern) => pattern.test(name))).map((name) => `must not ship ${name}`),
    ...(vsix.zip.length > MAX_BYTES ? [`${(vsix.zip.length / 1048576).toFixed(1)} MiB is over the ${MAX_BYTES / 1048576} MiB limit`] : []),
  ];
  if (problems.length === 0) {
    problems.push(...contentProblems(vsix, names));
  }
  if (problems.length > 0) {
    throw new Error(`${basename(path)} is not right:\n  ${problems.join('\n  ')}`);
  }
  const unpacked = vsix.entries.reduce((sum, entry) => sum + entry.size, 0);
  console.log(`vsix: ${basename(path)} is ${kib(vsix.zip.length)} (${kib(unpacked)} unpacked), ${vsix.entries.length} files:`);
  vsix.entries.map((entry) => `  ${entry.name} ${kib(entry.size)}`).sort().forEach((line) => console.log(line));
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
