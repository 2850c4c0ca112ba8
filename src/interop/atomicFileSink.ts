// A file written as a stream and replaced atomically, for exports too big to hold in memory:
// the text goes into a uniquely named temp file beside the target as it is produced, every byte
// checked, then the temp is fsynced, renamed over the target and the folder fsynced — as
// replaceFileAtomically (stores/fs/atomicFile.ts) does for a text held whole. Whatever fails or
// is abandoned (a full disk, a cancel), the temp file is removed and the target is untouched.
import { randomBytes } from 'node:crypto';
import { FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDirectory } from '../stores/fs/atomicFile';
import { shortWriteError } from '../stores/fs/writeFully';
import { TextSink } from './textSink';

/** Text is gathered into writes of about this size: few system calls, little memory. */
const WRITE_BYTES = 1 << 16;

export async function writeFileAtomicallyAsStream<T>(path: string, produce: (sink: TextSink) => Promise<T>): Promise<T> {
  // The name replaceFileAtomically gives its temps (isAtomicTempName), so a store's repair knows
  // a killed export's leftover should one be written into a store folder.
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.atomic.tmp`);
  let result: T;
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      const file = new BufferedFileWriter(handle, dirname(path));
      result = await produce(file);
      await file.flush();
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  syncDirectory(dirname(path));
  return result;
}

class BufferedFileWriter implements TextSink {
  private pending: string[] = [];
  private pendingLength = 0;
  private position = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly directory: string,
  ) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= WRITE_BYTES) {
      await this.flush();
    }
  }

  /** write(2) may write less than asked (a full disk): loop, and fail when no progress is made. */
  async flush(): Promise<void> {
    const bytes = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
    for (let written = 0; written < bytes.byteLength; ) {
      const { bytesWritten } = await this.handle.write(bytes, written, bytes.byteLength - written, this.position);
      if (bytesWritten <= 0) {
        throw shortWriteError(this.directory, written, bytes.byteLength);
      }
      written += bytesWritten;
      this.position += bytesWritten;
    }
  }
}
