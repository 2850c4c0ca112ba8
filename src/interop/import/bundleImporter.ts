// Multichat's own export bundle as one more import format: a `.json` file whose `format` is
// `multichat-export`, or a folder of them (`export --out-dir`). Auto-detection claims a file by a
// peek at its start, so a Copilot export (also `.json`) is never taken for one; in a folder only
// such files are taken, whichever the mode.
import { join } from 'node:path';
import { invalidInput, isMultichatError } from '../../core/errors';
import { BUNDLE_FORMAT, ParsedBundle, readBundle } from '../bundle';
import { Importer, ImportUnit, ParsedUnit } from './importFormats';
import { readTextFile } from './importErrors';
import { folderEntries, pathKind, peekText } from './importPaths';

export const bundleImporter: Importer = {
  format: 'multichat',
  label: 'Multichat export',
  async discover(path: string, claimOnly: boolean): Promise<ImportUnit[]> {
    const kind = await pathKind(path);
    if (kind === 'file') {
      return !claimOnly || (await isBundle(path)) ? [{ format: 'multichat', path }] : [];
    }
    const files = (await folderEntries(path)).filter((entry) => entry.isFile() && entry.name.endsWith('.json')).map((entry) => join(path, entry.name));
    const bundles = await Promise.all(files.map(async (file) => ((await isBundle(file)) ? file : undefined)));
    return bundles.filter((file) => file !== undefined).map((file) => ({ format: 'multichat', path: file }));
  },
  async read(unit: ImportUnit): Promise<ParsedUnit> {
    const parsed = readNamed(await readTextFile(unit.path), unit.path);
    const skipped = Object.fromEntries(Object.entries(parsed.ignoredFields).map(([field, count]) => [`unknown field ${field}`, count]));
    return { sessions: parsed.sessions, skipped };
  },
};

async function isBundle(file: string): Promise<boolean> {
  return (await peekText(file)).includes(`"${BUNDLE_FORMAT}"`);
}

/** readBundle names the place inside the bundle; this adds the file. */
function readNamed(text: string, file: string): ParsedBundle {
  try {
    return readBundle(text);
  } catch (error) {
    throw isMultichatError(error, 'invalid-input') ? invalidInput(`${file}: ${error.message}`) : error;
  }
}
