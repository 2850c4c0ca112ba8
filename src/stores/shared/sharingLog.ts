import { closeSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { newId } from '../../core/ids';
import { StoreWarning } from '../../core/store';
import { appendToLog } from '../fs/appendLog';
import { isMissing } from '../fs/ioErrors';
import { parseLog } from '../fs/logLines';
import { copyToQuarantine, quarantineFolderOf } from '../fs/quarantine';
import { openForReadingIfExists, readFrom } from '../fs/readBytes';
import { replaceLog } from '../fs/replaceLog';
import { ensureDirectory } from '../fs/writeAccess';
import { SharingRecord } from './sharingRecords';
import { SharingState } from './sharingState';

// The sharing log of one local store (`sharing.log` beside its sessions): an append-only JSON-lines
// file, written with the same durable appends as the JSON store's session logs — one write(2) per
// call on O_APPEND, fsynced, a short write a failure — so several processes (two windows, the CLI)
// append to it at once and all fold it in the same order. Read again only when it changed; rewritten
// (compacted) when what it holds is mostly pushed history.

/** Compaction waits until the log is at least this big. */
const COMPACT_BYTES = 256 * 1024;

type NewRecord = SharingRecord extends infer R ? (R extends { id: string } ? Omit<R, 'id'> : never) : never;

export class SharingLog {
  private state = new SharingState();
  private read = { ino: -1, bytes: 0 };
  private readonly reportedLines = new Set<number>();

  constructor(
    readonly path: string,
    private readonly warn: (warning: StoreWarning) => void,
  ) {}

  /** The state as the file says now. */
  current(): SharingState {
    const stat = this.statOrUndefined();
    if (!stat) {
      if (this.read.ino !== -1) {
        this.reset(-1);
      }
      return this.state;
    }
    if (stat.ino !== this.read.ino || stat.size < this.read.bytes) {
      this.reset(stat.ino);
    }
    if (stat.size > this.read.bytes) {
      this.readMore();
    }
    return this.state;
  }

  /** Durably appends records (each given a fresh id); returns them as written. */
  append(records: readonly NewRecord[]): SharingRecord[] {
    const written: SharingRecord[] = records.map((record) => ({ ...record, id: newId() }));
    ensureDirectory(dirname(this.path));
    appendToLog(this.path, written.map((record) => `${JSON.stringify(record)}\n`).join(''), { create: true });
    return written;
  }

  /**
   * Rewrites the log as the records that still matter (what is shared, what was redacted, the ops
   * not yet pushed) once it has grown big. Lines it could not read are kept in the quarantine first.
   */
  async compactIfLarge(): Promise<void> {
    const stat = this.statOrUndefined();
    if (!stat || stat.size < COMPACT_BYTES) {
      return;
    }
    if (this.reportedLines.size > 0) {
      copyToQuarantine(quarantineFolderOf(dirname(this.path)), this.path);
    }
    await replaceLog(this.path, (current) => {
      const state = new SharingState();
      parseLog(current).records.forEach((record) => state.apply(record.value));
      return essentialRecords(state)
        .map((record) => `${JSON.stringify(record)}\n`)
        .join('');
    });
  }

  private reset(ino: number): void {
    this.state = new SharingState();
    this.read = { ino, bytes: 0 };
    this.reportedLines.clear();
  }

  private readMore(): void {
    const fd = openForReadingIfExists(this.path);
    if (fd === undefined) {
      return;
    }
    try {
      const bytes = readFrom(fd, this.read.bytes);
      const parsed = parseLog(bytes);
      for (const record of parsed.records) {
        if (!this.state.apply(record.value)) {
          this.reportCorrupt(record.line, 'not a sharing record');
        }
      }
      parsed.corruptLines.forEach((line) => this.reportCorrupt(line, 'not valid JSON'));
      this.read.bytes += parsed.completeBytes;
    } finally {
      closeSync(fd);
    }
  }

  private reportCorrupt(line: number, what: string): void {
    // Line numbers count from where this read started: the byte offset names the place for good.
    const at = this.read.bytes;
    this.reportedLines.add(at + line);
    this.warn({ kind: 'corrupt', where: `${this.path} (a line after byte ${at})`, what: `${what}: the line is skipped` });
  }

  private statOrUndefined(): { ino: number; size: number } | undefined {
    try {
      const stat = statSync(this.path);
      return { ino: stat.ino, size: stat.size };
    } catch (error) {
      if (isMissing(error)) {
        return undefined;
      }
      throw error;
    }
  }
}

function essentialRecords(state: SharingState): SharingRecord[] {
  const records: SharingRecord[] = [];
  for (const [sessionId, entry] of state.sessions) {
    records.push({ type: 'share', id: newId(), sessionId, mode: entry.mode, secrets: entry.secrets });
    for (const messageId of state.redacted.get(sessionId) ?? []) {
      records.push({ type: 'redacted', id: newId(), sessionId, messageId });
    }
  }
  return [...records, ...state.pending()];
}
