// An import run: every unit found at a path, read whole and validated one at a time, then merged
// into the store session by session (importSession: by id, so running it again changes nothing
// and a source that changed updates what the last run wrote), several at a time (SessionWriter).
// A unit that is broken is reported and skipped — it changes nothing — and the run goes on.
// Cancelling stops between sessions, so the store holds whole sessions only; running the import
// again finishes it.
import { ImportCounts, importSession } from '../../core/importSession';
import { SessionStore } from '../../core/store';
import { DEFAULT_READ_LIMITS, ImportFormat, ImportUnit, ReadLimits, SkippedParts, mergeSkipped } from './importFormats';
import { findUnits } from './importers';
import { SessionWriter } from './sessionWriter';
import { UnitOutcome, readUnitsAhead } from './unitReader';

export interface ImportProgress {
  /** Units read so far (broken ones included) out of those found. */
  unitsDone: number;
  units: number;
  /** Sessions merged and messages they held, so far. */
  sessions: number;
  messages: number;
}

export interface ImportOptions {
  from?: ImportFormat | 'auto';
  limits?: ReadLimits;
  /** Stops between sessions; the report then says `cancelled`. */
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Units to leave out, e.g. those a follow-up import knows are unchanged (by path). */
  skipUnit?: (unit: ImportUnit) => boolean | Promise<boolean>;
}

export interface ImportFailure {
  path: string;
  error: string;
}

export interface ImportReport extends ImportCounts {
  /** Messages in the sessions merged (whether new, updated or unchanged). */
  messages: number;
  /** Units found and the formats they were in. */
  units: number;
  formats: ImportFormat[];
  /** Units that were broken: each named with what is wrong, and none of it imported. */
  failed: ImportFailure[];
  skipped: SkippedParts;
  cancelled: boolean;
}

export async function runImport(store: SessionStore, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  const units = await findUnits(path, options.from ?? 'auto');
  const report: ImportReport = { imported: 0, updated: 0, unchanged: 0, messages: 0, units: units.length, formats: [], failed: [], skipped: {}, cancelled: false };
  report.formats = [...new Set(units.map((unit) => unit.format))];
  const progress: ImportProgress = { unitsDone: 0, units: units.length, sessions: 0, messages: 0 };
  const writer = new SessionWriter(WRITES_IN_FLIGHT);
  try {
    for await (const outcome of readUnitsAhead(units, { limits: options.limits ?? DEFAULT_READ_LIMITS, skipUnit: options.skipUnit })) {
      if (options.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      await mergeOutcome(store, outcome, { report, progress, options, writer });
      progress.unitsDone++;
      options.onProgress?.(progress);
    }
  } finally {
    // Cancelled or failed, the sessions under way still finish, each whole.
    await writer.drain();
  }
  return report;
}

/** How many sessions are merged at once (see SessionWriter). */
const WRITES_IN_FLIGHT = 8;

interface UnitRun {
  report: ImportReport;
  progress: ImportProgress;
  options: ImportOptions;
  writer: SessionWriter;
}

async function mergeOutcome(store: SessionStore, outcome: UnitOutcome, run: UnitRun): Promise<void> {
  const { report, progress, options, writer } = run;
  if (outcome.kind === 'crashed') {
    throw outcome.error;
  }
  if (outcome.kind === 'failed') {
    report.failed.push({ path: outcome.unit.path, error: outcome.error });
    return;
  }
  if (outcome.kind === 'left-out') {
    return;
  }
  const { parsed } = outcome;
  mergeSkipped(report.skipped, parsed.skipped);
  for (const session of parsed.sessions) {
    if (options.signal?.aborted) {
      report.cancelled = true;
      return;
    }
    await writer.add(session.id, async () => {
      report[await importSession(store, session)]++;
      report.messages += session.messages.length;
      progress.sessions++;
      progress.messages += session.messages.length;
      options.onProgress?.(progress);
    });
  }
}

/** One line: `imported 3, updated 1, unchanged 0 (120 messages from 4 files)`, then skips and failures. */
export function describeImportReport(report: ImportReport): string {
  const units = `${report.messages} message${report.messages === 1 ? '' : 's'} from ${report.units} file${report.units === 1 ? '' : 's'}`;
  const parts = [`imported ${report.imported}, updated ${report.updated}, unchanged ${report.unchanged} (${units})`];
  const kinds = Object.keys(report.skipped);
  if (kinds.length > 0) {
    const total = kinds.reduce((sum, kind) => sum + report.skipped[kind], 0);
    parts.push(`skipped ${total} unknown part${total === 1 ? '' : 's'} (${kinds.map((kind) => `${kind} ×${report.skipped[kind]}`).join(', ')})`);
  }
  if (report.failed.length > 0) {
    parts.push(`${report.failed.length} file${report.failed.length === 1 ? '' : 's'} not imported`);
  }
  if (report.cancelled) {
    parts.push('cancelled: run it again to finish');
  }
  return parts.join('; ');
}
