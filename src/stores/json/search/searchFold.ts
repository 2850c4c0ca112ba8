import { Session } from '../../../core/model';
import { LogRecord, tryParse } from '../../fs/logLines';
import { RawView, containsEveryWord } from './rawTextFilter';
import { emptyFold, foldRecords } from '../log/sessionFold';
import { sessionFromBytes } from '../log/sessionState';

/**
 * Folds just enough of a session file to search it: the header, every line that may be an update
 * or a name record (they may change the title) or an order record (the hit is the first matching
 * message in folded order), and the lines whose raw text holds every word. Skipped lines cannot
 * match, and an order record arranges the matching messages among themselves as it arranges them
 * all, so the hit is the one a full fold would give, at a fraction of the parsing. The whole file
 * is folded instead when the raw text is not reliable, when it holds edits (an edit needs its
 * message, whose first version may not hold the words), or when a parsed record's id also appears
 * on an earlier line (whose copy would win).
 */
export function foldForSearch(id: string, bytes: Buffer, view: RawView | undefined, words: readonly string[]): Session | undefined {
  const selective = view?.linesReliable && !view.lowered.some((line) => line.includes('"edit"'));
  const records = selective ? selectRecords(view, words) : undefined;
  if (!records) {
    return sessionFromBytes(id, bytes);
  }
  const fold = emptyFold();
  foldRecords(fold, records, 0);
  return fold.session?.id === id ? fold.session : undefined;
}

function selectRecords(view: RawView, words: readonly string[]): LogRecord[] | undefined {
  const records: LogRecord[] = [];
  for (const [index, lowered] of view.lowered.entries()) {
    if (index === 0 || mayArrange(lowered) || containsEveryWord(lowered, words)) {
      const value = tryParse(view.original(index));
      if (index > 0 && hasEarlierCopy(value, view.lowered, index)) {
        return undefined;
      }
      if (value !== undefined) {
        records.push({ line: index + 1, value });
      }
    }
  }
  return records;
}

/** Lines that may be an update, a name or an order record: they change the title or the order hits pick from. */
function mayArrange(lowered: string): boolean {
  return lowered.includes('update') || lowered.includes('"name"') || lowered.includes('"order"');
}

function hasEarlierCopy(value: unknown, lowered: readonly string[], index: number): boolean {
  if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'string') {
    return false;
  }
  const id = value.id.toLowerCase();
  return lowered.slice(0, index).some((line) => line.includes(id));
}
