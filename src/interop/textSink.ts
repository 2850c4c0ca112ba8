// Where a streamed export goes: a file (atomicFileSink.ts), a stream such as stdout, or memory.
// Each write resolves once the text is taken, so a slow reader holds the writer back instead of
// letting unwritten text pile up in memory.
import { Writable } from 'node:stream';

export interface TextSink {
  write(text: string): Promise<void>;
}

export function writableSink(stream: Writable): TextSink {
  return {
    write: (text) => new Promise((resolve, reject) => void stream.write(text, (error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * Ends the output with exactly one line break, as a CLI prints a text it holds whole with
 * `trimEnd()` and a newline: trailing white space is held back until more text follows it.
 */
export function oneLineBreakAtEnd(sink: TextSink): TextSink & { end(): Promise<void> } {
  let held = '';
  return {
    write: async (text) => {
      const body = text.trimEnd();
      if (body.length === 0) {
        held += text;
        return;
      }
      await sink.write(held + body);
      held = text.slice(body.length);
    },
    end: () => sink.write('\n'),
  };
}
