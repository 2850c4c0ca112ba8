import { readJournal, readJournalAfterMark } from '../journal/journal';
import { keepOpeningRead } from '../journal/openingRead';
import { emptyJournalChunk, locateRecord } from '../journal/journalChunk';
import { JournalCursor } from '../journal/journalCursor';
import { StateHooks, StoreState } from './storeState';
import { StorePaths } from '../storePaths';
import { Sidecar, readSidecar } from '../snapshot/summarySidecar';

// The state a store opens with. With a usable sidecar: its summaries, plus the journal records
// after its mark folded in — enough to list sessions at once. Otherwise an empty state that
// must wait for the database.

export interface InitialState {
  state: StoreState;
  /** True when the summaries can answer before the database has loaded. */
  ready: boolean;
  /** Why the sidecar could not be used (it is then rebuilt once the database is loaded). */
  sidecarProblem?: string;
}


export function initialState(paths: StorePaths, hooks: StateHooks): InitialState {
  const read = readSidecar(paths.sidecar);
  const start = read.ok ? startAfterMark(paths.journal, read.sidecar) : undefined;
  if (read.ok && start) {
    return { state: StoreState.fromSummaries(paths.journal, { summaries: read.sidecar.summaries, versions: read.sidecar.versions, ...start }, hooks), ready: true };
  }
  const empty = StoreState.fromSummaries(paths.journal, { summaries: [], ...JournalCursor.fromFullRead(emptyJournalChunk(), -1) }, hooks);
  return { state: empty, ready: false, sidecarProblem: read.ok ? 'does not fit the journal' : read.problem };
}

/** Where to resume after the sidecar's mark, with the unreadable lines met after it. */
function startAfterMark(journalPath: string, sidecar: Sidecar): (ReturnType<typeof JournalCursor.fromMark> & { unreadable: number[] }) | undefined {
  const tail = readJournalAfterMark(journalPath, sidecar.mark);
  if (tail) {
    keepOpeningRead(journalPath, tail);
    return { ...JournalCursor.fromMark(sidecar.mark, tail, sidecar.recent), unreadable: tail.corruptOffsets };
  }
  const whole = readJournal(journalPath);
  keepOpeningRead(journalPath, whole);
  const index = locateRecord(whole, sidecar.mark.id);
  if (index === undefined) {
    return undefined;
  }
  const from = index < 0 ? 0 : whole.entries[index].end;
  return { ...JournalCursor.fromFullRead(whole, index), unreadable: whole.corruptOffsets.filter((at) => at >= from) };
}
