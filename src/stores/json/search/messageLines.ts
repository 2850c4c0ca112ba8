import { closeSync, fstatSync } from 'node:fs';
import { MessagePlace, MessageText } from '../../../core/wordIndex/indexedSearch';
import { StoredAt } from '../../../core/wordIndex/wordIndex';
import { tryParse } from '../../fs/logLines';
import { openForReadingIfExists, readRange, startsLine } from '../../fs/readBytes';
import { FileStamp, stampOf } from '../files/fileStamp';
import { MessageLines } from '../log/sessionFold';
import { BodyRecord, parseRecord } from '../log/records';

// A hit's message read alone from its session file, not the whole file folded: the index keeps
// where the message's record starts and where the line its content comes from (its last edit)
// starts. Only while the file is exactly the version indexed (the same stamp) are those lines
// trusted, and each is parsed and validated as any record is; anything else (the file changed,
// a line that is not that message's) is undefined, and the caller folds the whole file.

/** A line longer than this is read in more than one go. */
const FIRST_READ_BYTES = 8192;

/** A session version as the word index keeps it: its file's stamp. */
export function stampVersion(stamp: FileStamp): string {
  return `${stamp.size}:${stamp.ino}:${stamp.mtimeMs}`;
}

/** What the index keeps of a message's lines (nothing when no single line holds its content). */
export function storedAtOf(lines: MessageLines | undefined): StoredAt | undefined {
  return lines?.content === undefined ? undefined : [lines.record, lines.content];
}

/** The message `place` names, from its own lines in `path`, or undefined when they cannot vouch for it. */
export function messageFromLines(path: string, place: MessagePlace): MessageText | undefined {
  const at = place.storedAt;
  const fd = at && openForReadingIfExists(path);
  if (!at || fd === undefined) {
    return undefined;
  }
  try {
    const stamp = stampOf(fstatSync(fd));
    return stampVersion(stamp) === place.version ? messageAt(fd, at, stamp.size) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The message whose record starts at at[0], its content from the edit at at[1] when that is another line. */
function messageAt(fd: number, at: StoredAt, size: number): MessageText | undefined {
  const record = recordAt(fd, at[0], size);
  if (record?.type !== 'message') {
    return undefined;
  }
  const { id, role, content, createdAt } = record;
  if (at[1] === at[0]) {
    return { id, role, content, createdAt };
  }
  const edit = recordAt(fd, at[1], size);
  return edit?.type === 'edit' && edit.messageId === id && edit.content !== undefined ? { id, role, content: edit.content, createdAt } : undefined;
}

/** The valid record whose complete line starts at `offset`, if one does. */
function recordAt(fd: number, offset: number, size: number): BodyRecord | undefined {
  if (offset <= 0 || offset >= size || !startsLine(fd, offset)) {
    return undefined;
  }
  let bytes = readRange(fd, offset, Math.min(size, offset + FIRST_READ_BYTES));
  let end = bytes.indexOf(0x0a);
  if (end < 0 && offset + bytes.length < size) {
    bytes = readRange(fd, offset, size);
    end = bytes.indexOf(0x0a);
  }
  if (end < 0) {
    return undefined;
  }
  const parsed = parseRecord(tryParse(bytes.toString('utf8', 0, end)), 2);
  return parsed.ok && parsed.kind === 'body' ? parsed.record : undefined;
}
