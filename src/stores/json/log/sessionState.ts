import { Session } from '../../../core/model';
import { parseLog } from '../../fs/logLines';
import { AppliedRecord, FoldedLog, emptyFold, foldRecords } from './sessionFold';
import { FileStamp } from '../files/fileStamp';
import { readSessionBytes } from '../files/sessionFile';

/**
 * A session file as folded so far, and how to bring it up to date: when the file only grew,
 * just the new tail is read and applied, so catching up after an append costs what the append
 * wrote, not the session's length. A file that was replaced (new inode) or rewritten in place is
 * read again from the start.
 */
export interface SessionState extends FoldedLog {
  id: string;
  path: string;
  /** The file as last read; a different stamp on disk means someone wrote to it. */
  stamp: FileStamp;
  /** Bytes of complete lines applied; the next read starts here. */
  offset: number;
  /** Complete lines before `offset`, to number the lines of later reads. */
  lines: number;
}

export interface LoadOutcome {
  state: SessionState;
  applied: AppliedRecord[];
  /** True when the whole file was read rather than just a new tail. */
  reloaded: boolean;
}

const NEWLINE = 0x0a;

/** Reads a whole session file; undefined when it does not exist. */
export function loadSessionState(path: string, id: string): LoadOutcome | undefined {
  const read = readSessionBytes(path);
  if (!read) {
    return undefined;
  }
  const state: SessionState = { ...emptyFold(), id, path, stamp: read.stamp, offset: 0, lines: 0 };
  const applied = applyBytes(state, read.bytes);
  checkWholeFile(state, read.bytes.length);
  return { state, applied, reloaded: true };
}

/** Folds the bytes of a whole session file read elsewhere (search reads many files at once). */
export function sessionFromBytes(id: string, bytes: Buffer): Session | undefined {
  const state: SessionState = { ...emptyFold(), id, path: '', stamp: { size: bytes.length, ino: 0, mtimeMs: 0 }, offset: 0, lines: 0 };
  applyBytes(state, bytes);
  checkWholeFile(state, bytes.length);
  return state.session;
}

/** Brings a state up to date with its file, reading only the tail when that is safe. */
export function refreshSessionState(previous: SessionState): LoadOutcome | undefined {
  if (!previous.session || previous.offset === 0) {
    return loadSessionState(previous.path, previous.id);
  }
  // Reading from one byte early proves the bytes we applied still end where we left them.
  const read = readSessionBytes(previous.path, previous.offset - 1);
  if (!read) {
    return undefined;
  }
  if (read.stamp.ino !== previous.stamp.ino || read.bytes[0] !== NEWLINE || !onlyGrew(previous.stamp, read.stamp)) {
    return loadSessionState(previous.path, previous.id);
  }
  previous.stamp = read.stamp;
  const applied = applyBytes(previous, read.bytes.subarray(1));
  return { state: previous, applied, reloaded: false };
}

/**
 * Whether the file only grew since it was read (or did not change at all): a file of the same
 * size with another mtime, or a shorter one, was rewritten in place (by hand, say), and its tail
 * proves nothing about what lies before it.
 */
function onlyGrew(before: FileStamp, now: FileStamp): boolean {
  return now.size > before.size || (now.size === before.size && now.mtimeMs === before.mtimeMs);
}

function applyBytes(state: SessionState, bytes: Buffer): AppliedRecord[] {
  const parsed = parseLog(bytes);
  for (const line of parsed.corruptLines) {
    state.problems.push({ line: state.lines + line, what: 'not valid JSON' });
  }
  const applied = foldRecords(state, parsed.records, state.lines, state.offset);
  state.offset += parsed.completeBytes;
  state.lines += countNewlines(bytes, parsed.completeBytes);
  return applied;
}

/** Problems only visible in the whole file: no usable header, or one naming another session. */
function checkWholeFile(state: SessionState, size: number): void {
  if (size === 0) {
    state.problems.push({ what: 'the file is empty' });
  } else if (!state.session && !state.problems.some((problem) => problem.line === 1)) {
    state.problems.push({ what: 'there is no complete session header on line 1' });
  } else if (state.session && state.session.id !== state.id) {
    state.problems.push({ line: 1, what: `the header names session ${state.session.id}, not the file's ${state.id}` });
    state.session = undefined;
  }
}

function countNewlines(bytes: Buffer, end: number): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0 && at < end; at = bytes.indexOf(NEWLINE, at + 1)) {
    count++;
  }
  return count;
}
