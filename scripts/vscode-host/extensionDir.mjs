// Checks that the extension under test was built: the host loads package.json's `main`, not the sources.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function requireBuiltExtension(dir) {
  const extensionDir = resolve(dir);
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
  const main = join(extensionDir, manifest.main ?? 'extension.js');
  if (!existsSync(main)) {
    throw new Error(`the extension is not built (${main} is missing): run \`npm run build\` first`);
  }
  return extensionDir;
}
