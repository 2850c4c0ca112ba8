// What the editor knows about this workspace's Copilot Chat history without reading it: where it
// is, how many session files it holds, and which of them changed since the last import (by size
// and modification time, so following it costs a stat per file). Free of `vscode`: unit-tested in
// plain Node.
import { stat } from 'node:fs/promises';
import { copilotImporter } from '../../interop/import/copilot/copilotImporter';
import { ImportUnit } from '../../interop/import/importFormats';
import { pathKind } from '../../interop/import/importPaths';

/** How many session files the folder holds, as the Copilot importer finds them; undefined when there is no such folder. */
export async function countSessionFiles(folder: string): Promise<number | undefined> {
  return (await pathKind(folder)) === 'folder' ? (await copilotImporter.discover(folder, false)).length : undefined;
}

/** A file's size and modification time, by path: what a follow-up import compares. */
export type Fingerprints = Record<string, string>;

async function fingerprintOf(path: string): Promise<string | undefined> {
  const stats = await stat(path).catch(() => undefined);
  // A folder's time says nothing about the files in it: such a unit is always read.
  return stats?.isFile() ? `${stats.size}:${stats.mtimeMs}` : undefined;
}

export interface FingerprintRun {
  /** For runImport's skipUnit: records each unit's fingerprint, and (when skipping) leaves out those unchanged. */
  skipUnit(unit: ImportUnit): Promise<boolean>;
  /** The fingerprints of every unit met: what to remember once the run completed. */
  readonly seen: Fingerprints;
  /** How many units were left out as unchanged. */
  readonly skipped: number;
}

/** Fingerprints the units of one run against those `remembered` from the last complete one. */
export function fingerprintRun(remembered: Fingerprints, skipUnchanged: boolean): FingerprintRun {
  const seen: Fingerprints = {};
  let skipped = 0;
  return {
    seen,
    get skipped() {
      return skipped;
    },
    async skipUnit(unit) {
      const print = await fingerprintOf(unit.path);
      if (print === undefined) {
        return false;
      }
      seen[unit.path] = print;
      const unchanged = skipUnchanged && remembered[unit.path] === print;
      skipped += unchanged ? 1 : 0;
      return unchanged;
    },
  };
}

export interface OfferFacts {
  /** Session files in the Copilot history folder; undefined when there is none. */
  sessionFiles: number | undefined;
  /** Asked before in this workspace (whatever the answer). */
  asked: boolean;
  /** The follow setting is on: the history is imported without asking. */
  following: boolean;
}

/** Whether to offer importing the workspace's Copilot Chat history: once, and only when there is some. */
export function shouldOfferImport(facts: OfferFacts): boolean {
  return !facts.asked && !facts.following && (facts.sessionFiles ?? 0) > 0;
}

/** The progress line of an import: `1,234 messages · 12 of 40 files`. */
export function importProgressMessage(progress: { messages: number; unitsDone: number; units: number }): string {
  const count = (value: number) => value.toLocaleString('en-US');
  const messages = `${count(progress.messages)} message${progress.messages === 1 ? '' : 's'}`;
  return `${messages} · ${count(progress.unitsDone)} of ${count(progress.units)} file${progress.units === 1 ? '' : 's'}`;
}
