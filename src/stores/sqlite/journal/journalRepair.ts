import { replaceLog } from '../../fs/replaceLog';
import { JournalChunk, parseJournalBuffer } from './journalChunk';
import { journalRecordSchema } from './journalRecords';

/**
 * Journal lines that are neither records nor a crash's known leftovers: unparseable text no
 * torn write explains, and JSON that is not a valid record. Line numbers are 1-based.
 */
export function badJournalLines(chunk: JournalChunk): Map<number, string> {
  const bad = new Map<number, string>();
  for (const line of chunk.corruptLines) {
    bad.set(line, 'unreadable line (not a crash leftover)');
  }
  for (const entry of chunk.entries) {
    const parsed = journalRecordSchema.safeParse(entry.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      bad.set(entry.line, `invalid record: ${issue.path.join('.') || 'record'}: ${issue.message}`);
    }
  }
  return new Map([...bad].sort(([a], [b]) => a - b));
}

/** Rewrites the journal without its bad lines (judged afresh under the journal's lock). */
export async function dropBadJournalLines(path: string): Promise<number> {
  let dropped = 0;
  await replaceLog(path, (current) => {
    const bad = badJournalLines(parseJournalBuffer(current));
    dropped = bad.size;
    return withoutLines(current, new Set(bad.keys()));
  });
  return dropped;
}

function withoutLines(buffer: Buffer, drop: Set<number>): Buffer {
  const kept: Buffer[] = [];
  let start = 0;
  for (let line = 1; start < buffer.length; line++) {
    const newline = buffer.indexOf(0x0a, start);
    const end = newline < 0 ? buffer.length : newline + 1;
    if (!drop.has(line)) {
      kept.push(buffer.subarray(start, end));
    }
    start = end;
  }
  return Buffer.concat(kept);
}
