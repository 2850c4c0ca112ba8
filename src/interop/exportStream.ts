// Exports that stream: sessions are read one at a time through the SessionStore interface and
// each is rendered and written before the next is read, so memory stays flat however big the
// store. The CLI's `export` and the editor's Export Sessions both write through here.
import { sessionNotFound } from '../core/errors';
import { Session } from '../core/model';
import { SessionStore } from '../core/store';
import { writeFileAtomicallyAsStream } from './atomicFileSink';
import { ExportFormat, exportRenderer } from './exportRender';
import { TextSink } from './textSink';

export interface StreamExportOptions {
  format: ExportFormat;
  /** Called after each session is written, with how many are done. */
  onSession?: (done: number) => void;
  /** Stops between sessions: the export then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Writes the export into a sink as the sessions come; resolves with how many were written. */
export async function streamExport(sessions: AsyncIterable<Session>, sink: TextSink, options: StreamExportOptions): Promise<number> {
  const renderer = exportRenderer(options.format);
  await sink.write(renderer.head());
  let done = 0;
  for await (const session of sessions) {
    options.signal?.throwIfAborted();
    await sink.write(renderer.entry(session));
    done++;
    options.onSession?.(done);
  }
  await sink.write(renderer.tail());
  return done;
}

/** Streams the export into a file, replaced atomically once complete. */
export function exportToFile(path: string, sessions: AsyncIterable<Session>, options: StreamExportOptions): Promise<number> {
  return writeFileAtomicallyAsStream(path, (sink) => streamExport(sessions, sink, options));
}

/**
 * The sessions of one store, read one at a time: every session (listed, then read by id; one
 * deleted meanwhile is left out), or the given ids — checked to exist before anything is read,
 * so a wrong id fails before any output.
 */
export async function storeSessions(store: SessionStore, ids: readonly string[] = []): Promise<AsyncIterable<Session>> {
  const listed = new Set((await store.list()).map((summary) => summary.id));
  const missing = ids.find((id) => !listed.has(id));
  if (missing !== undefined) {
    throw sessionNotFound(missing);
  }
  return readEach(store, ids.length > 0 ? ids : [...listed], ids.length > 0);
}

async function* readEach(store: SessionStore, ids: readonly string[], required: boolean): AsyncGenerator<Session> {
  for (const id of ids) {
    const session = await store.get(id);
    if (session) {
      yield session;
    } else if (required) {
      throw sessionNotFound(id);
    }
  }
}
