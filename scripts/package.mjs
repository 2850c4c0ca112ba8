// Packages the extension as multichat-sessions.vsix with vsce (`npm run package [-- <vsce options>]`).
//
// The README shows a screenshot through a relative link, media/screenshot.png. No place that shows a packaged
// README resolves a path inside the .vsix: a Marketplace page needs an absolute https URL, and VS Code's own
// extension page allows only https: and data: images (its Content-Security-Policy). So:
// - With a public home for the files — a GitHub or GitLab `repository` in package.json, or vsce's
//   --baseContentUrl and --baseImagesUrl given after `--` — vsce rewrites relative links to it, as a Marketplace
//   release needs.
// - Without one (this project has no public repository yet, and a made-up URL would ship a broken image), the
//   .vsix gets a copy of the README with each relative image embedded as a data: URL, which VS Code's extension
//   page shows. vsce's rewriting (and its https-only image check) is then off; the vsix check
//   (scripts/vscode-host/vsixCheck.mjs) holds the packaged README to https: or embedded PNG/JPEG/GIF images.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const VSIX = 'multichat-sessions.vsix';
const EMBEDDED_README = join('dist', 'README.vsix.md');
const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };
const MARKDOWN_LINK = /(!?)\[([^\]]*)\]\(([^)\s]+)\)/g;
const isRelative = (link) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('#');

function hasPublicHome(manifest, vsceArgs) {
  const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  return vsceArgs.some((arg) => /^--base(Content|Images)Url/.test(arg)) || /github(\.com\/|:)|gitlab(\.com\/|:)/.test(repository ?? '');
}

/** The README with relative images as data: URLs; any other relative link has nowhere honest to point. */
function embedRelativeImages(markdown) {
  return markdown.replace(MARKDOWN_LINK, (whole, bang, text, link) => {
    if (!isRelative(link)) {
      return whole;
    }
    const type = IMAGE_TYPES[extname(link).toLowerCase()];
    if (!bang || !type) {
      throw new Error(`README.md links to ${link}, which has no public URL: give vsce --baseContentUrl, or link an absolute URL`);
    }
    return `![${text}](data:${type};base64,${readFileSync(normalize(link)).toString('base64')})`;
  });
}

function main() {
  process.chdir(dirname(dirname(fileURLToPath(import.meta.url)))); // vsce packages the current folder
  const vsceArgs = process.argv.slice(2);
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  const args = ['package', '--no-dependencies', '--out', VSIX, ...vsceArgs];
  if (hasPublicHome(manifest, vsceArgs)) {
    console.log('package: vsce rewrites relative README links to the repository or the given base URLs');
  } else {
    mkdirSync('dist', { recursive: true });
    writeFileSync(EMBEDDED_README, embedRelativeImages(readFileSync('README.md', 'utf8')));
    args.push('--readme-path', EMBEDDED_README, '--no-rewrite-relative-links');
    console.log('package: no public repository: README images embedded as data: URLs (set `repository` to publish)');
  }
  if (!manifest.repository) {
    args.push('--allow-missing-repository'); // else vsce asks on a terminal whether to go on without one
  }
  const vsce = join('node_modules', '.bin', 'vsce');
  const result = spawnSync(existsSync(vsce) ? vsce : 'vsce', args, { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

try {
  main();
} catch (error) {
  console.error(`package: ${error.message}`);
  process.exit(1);
}
