// Every import format, and how a path is matched to them: named with `--from`, or recognised by
// each importer claiming what is clearly its own (`auto`).
import { invalidInput } from '../../core/errors';
import { bundleImporter } from './bundleImporter';
import { clineImporter } from './cline/clineImporter';
import { continueImporter } from './continue/continueImporter';
import { copilotImporter } from './copilot/copilotImporter';
import { cursorImporter } from './cursor/cursorImporter';
import { ImportFormat, ImportUnit, Importer } from './importFormats';
import { pathKind } from './importPaths';

export const IMPORTERS: readonly Importer[] = [bundleImporter, copilotImporter, continueImporter, clineImporter, cursorImporter];

export function importerFor(format: ImportFormat): Importer {
  const importer = IMPORTERS.find((candidate) => candidate.format === format);
  if (!importer) {
    throw invalidInput(`unknown import format: ${format}`);
  }
  return importer;
}

/** The units to import from `path`: those of the named format, or (auto) of every format that claims some. */
export async function findUnits(path: string, from: ImportFormat | 'auto'): Promise<ImportUnit[]> {
  if ((await pathKind(path)) === 'none') {
    throw invalidInput(`could not read ${path}: it does not exist`);
  }
  const importers = from === 'auto' ? IMPORTERS : [importerFor(from)];
  const found = await Promise.all(importers.map((importer) => importer.discover(path, from === 'auto')));
  const units = found.flat();
  if (units.length === 0) {
    throw invalidInput(nothingFound(path, from));
  }
  return units;
}

function nothingFound(path: string, from: ImportFormat | 'auto'): string {
  if (from !== 'auto') {
    return `found no ${importerFor(from).label} history at ${path}`;
  }
  const labels = IMPORTERS.map((importer) => importer.label).join(', ');
  return `found nothing to import at ${path}: it holds none of ${labels} (name one with --from if it should)`;
}
