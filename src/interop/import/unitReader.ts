// Reads an import's units a few ahead of the one being written: reading is mostly waiting for the
// disk, and so is writing, so the two overlap. A database (Cursor's state.vscdb, up to the size
// limit) is read only when nothing else is being read, so at most one is loading. Each read settles to an
// outcome and never rejects on its own, so one the run no longer wants (it was cancelled) cannot
// become an unhandled rejection.
import { describeError, isMultichatError } from '../../core/errors';
import { ImportFormat, ImportUnit, ParsedUnit, ReadLimits } from './importFormats';
import { importerFor } from './importers';

export type UnitOutcome =
  | { unit: ImportUnit; kind: 'parsed'; parsed: ParsedUnit }
  | { unit: ImportUnit; kind: 'failed'; error: string }
  /** Not the file's fault (out of memory, a bug): the run stops with it. */
  | { unit: ImportUnit; kind: 'crashed'; error: unknown }
  | { unit: ImportUnit; kind: 'left-out' };

export interface UnitReading {
  limits: ReadLimits;
  skipUnit?: (unit: ImportUnit) => boolean | Promise<boolean>;
}

const READ_AHEAD = 4;
/** Formats whose one unit can be hundreds of megabytes. */
const READ_IN_TURN: ReadonlySet<ImportFormat> = new Set(['cursor']);

/** The units' outcomes in order, each read up to READ_AHEAD units before it is wanted. */
export async function* readUnitsAhead(units: readonly ImportUnit[], reading: UnitReading): AsyncGenerator<UnitOutcome> {
  const pending: Promise<UnitOutcome>[] = [];
  let next = 0;
  const fill = (): void => {
    while (next < units.length && pending.length < READ_AHEAD && (pending.length === 0 || !READ_IN_TURN.has(units[next].format))) {
      pending.push(outcomeOf(units[next++], reading));
    }
  };
  fill();
  while (pending.length > 0) {
    const outcome = await pending.shift()!;
    fill();
    yield outcome;
  }
}

async function outcomeOf(unit: ImportUnit, reading: UnitReading): Promise<UnitOutcome> {
  try {
    if (await reading.skipUnit?.(unit)) {
      return { unit, kind: 'left-out' };
    }
    return { unit, kind: 'parsed', parsed: await importerFor(unit.format).read(unit, reading.limits) };
  } catch (error) {
    return isMultichatError(error, 'invalid-input') ? { unit, kind: 'failed', error: describeError(error) } : { unit, kind: 'crashed', error };
  }
}
