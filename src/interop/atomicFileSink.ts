// A file written as a stream and replaced atomically, for exports too big to hold in memory:
// the text is gathered into writes of a useful size and handed to writeFileAtomically
// (stores/fs/atomicFile.ts), which checks every byte and renames the file into place only once
// it is whole. Whatever fails or is abandoned (a full disk, a cancel), the target is untouched.
import { AtomicWrite, writeFileAtomically } from '../stores/fs/atomicFile';
import { TextSink } from './textSink';

/** Text is gathered into writes of about this size: few system calls, little memory. */
const WRITE_BYTES = 1 << 16;

export async function writeFileAtomicallyAsStream<T>(path: string, produce: (sink: TextSink) => Promise<T>): Promise<T> {
  return writeFileAtomically(path, async (write) => {
    const file = new BufferedTextWriter(write);
    const result = await produce(file);
    await file.flush();
    return result;
  });
}

class BufferedTextWriter implements TextSink {
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(private readonly writeBytes: AtomicWrite) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= WRITE_BYTES) {
      await this.flush();
    }
  }

  async flush(): Promise<void> {
    const bytes = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
    await this.writeBytes(bytes);
  }
}
