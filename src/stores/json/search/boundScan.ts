import { yieldEvery } from '../../../core/eventLoop';
import { ReusableFileReader } from './fileReader';
import { BoundScreen, boundScreen } from './searchBound';

// Runs the first search pass (searchBound.ts) over many files: one score bound per path, 0 for
// a file that cannot match or no longer exists. The synchronous form is what a scan worker runs;
// the asynchronous one is for the calling thread and yields every few hundred files so the
// extension host stays responsive.

const FILES_PER_TURN = 200;

export function boundFiles(paths: readonly string[], words: readonly string[], reader = new ReusableFileReader()): Float64Array {
  const screen = boundScreen(words);
  const bounds = new Float64Array(paths.length);
  for (const [index, path] of paths.entries()) {
    bounds[index] = boundOfFile(path, screen, reader);
  }
  return bounds;
}

export async function boundFilesInThread(paths: readonly string[], words: readonly string[], signal?: AbortSignal): Promise<Float64Array> {
  const screen = boundScreen(words);
  const reader = new ReusableFileReader();
  const bounds = new Float64Array(paths.length);
  for (const [index, path] of paths.entries()) {
    await yieldEvery(index, FILES_PER_TURN);
    signal?.throwIfAborted();
    bounds[index] = boundOfFile(path, screen, reader);
  }
  return bounds;
}

function boundOfFile(path: string, screen: BoundScreen, reader: ReusableFileReader): number {
  const bytes = reader.read(path);
  return bytes ? screen(bytes) : 0;
}
