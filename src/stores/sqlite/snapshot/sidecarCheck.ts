import { SessionSummary } from '../../../core/model';
import { readJournal } from '../journal/journal';
import { locateRecord } from '../journal/journalChunk';
import { isSessionOp, journalRecordSchema, opSessionId } from '../journal/journalRecords';
import { StoreState } from '../state/storeState';
import { Sidecar } from './summarySidecar';
import { SummaryFold } from '../state/summaryFold';

/**
 * Whether the sidecar, with the journal records after its mark folded in up to this process's
 * position, gives the summaries the database gives. Returns what is wrong, or undefined.
 */
export function sidecarMatches(sidecar: Sidecar, state: StoreState, journalPath: string): string | undefined {
  const journal = readJournal(journalPath);
  const from = locateRecord(journal, sidecar.mark.id);
  const to = locateRecord(journal, state.journalMark.id);
  if (from === undefined) {
    return 'does not fit the journal (its position is no longer there)';
  }
  if (to === undefined || to < from) {
    return undefined; // the sidecar is newer than this process's view: nothing to compare yet
  }
  const folded = new Map(sidecar.summaries.map((summary) => [summary.id, summary]));
  const fold = new SummaryFold(folded);
  const applied = new Set(journal.entries.slice(0, from + 1).map((entry) => entry.id));
  for (const entry of journal.entries.slice(from + 1, to + 1)) {
    if (applied.has(entry.id)) {
      continue; // a later copy of a record already counted
    }
    applied.add(entry.id);
    const record = journalRecordSchema.safeParse(entry.value);
    if (record.success && isSessionOp(record.data)) {
      const result = fold.apply(record.data);
      if (result.status === 'applied') {
        setOrDelete(folded, opSessionId(record.data), result.summary);
      }
    }
  }
  const differing = countDifferences(folded, state.summaries);
  return differing === 0 ? undefined : `disagrees with the database about ${differing} session(s)`;
}

function setOrDelete(map: Map<string, SessionSummary>, id: string, summary: SessionSummary | undefined): void {
  if (summary) {
    map.set(id, summary);
  } else {
    map.delete(id);
  }
}

function countDifferences(a: ReadonlyMap<string, SessionSummary>, b: ReadonlyMap<string, SessionSummary>): number {
  let differing = 0;
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    if (summaryKey(a.get(id)) !== summaryKey(b.get(id))) {
      differing++;
    }
  }
  return differing;
}

function summaryKey(summary: SessionSummary | undefined): string {
  if (!summary) {
    return '';
  }
  const { id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount } = summary;
  return JSON.stringify([id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount]);
}
