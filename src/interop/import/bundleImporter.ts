// Multichat's own export bundle as one more import format: a `.json` file whose `format` is
// `multichat-export`. Auto-detection claims a file by a peek at its start, so a Copilot export
// (also `.json`) is never taken for one.
import { invalidInput, isMultichatError } from '../../core/errors';
import { BUNDLE_FORMAT, ParsedBundle, readBundle } from '../bundle';
import { Importer, ImportUnit, ParsedUnit } from './importFormats';
import { readTextFile } from './importErrors';
import { pathKind, peekText } from './importPaths';

export const bundleImporter: Importer = {
  format: 'multichat',
  label: 'Multichat export',
  async discover(path: string, claimOnly: boolean): Promise<ImportUnit[]> {
    if ((await pathKind(path)) !== 'file') {
      return [];
    }
    return !claimOnly || (await peekText(path)).includes(`"${BUNDLE_FORMAT}"`) ? [{ format: 'multichat', path }] : [];
  },
  async read(unit: ImportUnit): Promise<ParsedUnit> {
    const parsed = readNamed(await readTextFile(unit.path), unit.path);
    const skipped = Object.fromEntries(Object.entries(parsed.ignoredFields).map(([field, count]) => [`unknown field ${field}`, count]));
    return { sessions: parsed.sessions, skipped };
  },
};

/** readBundle names the place inside the bundle; this adds the file. */
function readNamed(text: string, file: string): ParsedBundle {
  try {
    return readBundle(text);
  } catch (error) {
    throw isMultichatError(error, 'invalid-input') ? invalidInput(`${file}: ${error.message}`) : error;
  }
}
