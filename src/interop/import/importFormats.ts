// What every importer of another tool's chat history provides, and what it hands back. An importer
// finds the units of its format under a path (a file, or a folder such as a Cline task) and reads
// one unit at a time, whole: the sessions it holds, fully validated, or an invalid-input error that
// names the file and the place. So a broken unit changes nothing, and the run goes on to the next.
import { Session } from '../../core/model';

/** The formats `multichat import --from` names; `auto` picks from what the path holds. */
export const IMPORT_FORMATS = ['multichat', 'copilot', 'continue', 'cline', 'cursor'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One thing an importer reads whole: a file, or a folder of files that together make sessions. */
export interface ImportUnit {
  format: ImportFormat;
  /** The file or folder, as errors and summaries name it. */
  path: string;
  /** The importer's own extra knowledge about the unit (say, an index entry), passed back to read. */
  hint?: unknown;
}

/** Occurrences of what an importer met but does not import, by kind, e.g. `response part "foo"` → 3. */
export type SkippedParts = Record<string, number>;

export interface ParsedUnit {
  sessions: Session[];
  skipped: SkippedParts;
}

export interface ReadLimits {
  /** Databases (Cursor's state.vscdb) larger than this are refused rather than loaded into memory. */
  maxDatabaseBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxDatabaseBytes: 512 * 1024 * 1024 };

export interface Importer {
  readonly format: ImportFormat;
  /** For people: "Copilot Chat". */
  readonly label: string;
  /**
   * The units of this format at `path` (a file or a folder; subfolders as the format lays them
   * out), or none. With `claimOnly` (auto-detection) it answers only for what is clearly its own
   * format, by names and at most a peek, so that two importers never claim the same file.
   */
  discover(path: string, claimOnly: boolean): Promise<ImportUnit[]>;
  /** Reads one unit whole: the sessions, or an invalid-input MultichatError naming the file and place. */
  read(unit: ImportUnit, limits: ReadLimits): Promise<ParsedUnit>;
}

/** Adds `count` occurrences of `kind` to the tally. */
export function countSkipped(skipped: SkippedParts, kind: string, count = 1): void {
  skipped[kind] = (skipped[kind] ?? 0) + count;
}

/** Adds one tally into another. */
export function mergeSkipped(into: SkippedParts, from: SkippedParts): void {
  for (const [kind, count] of Object.entries(from)) {
    countSkipped(into, kind, count);
  }
}
