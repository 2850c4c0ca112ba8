import { parentPort } from 'node:worker_threads';
import { boundFiles } from './boundScan';
import { ReusableFileReader } from './fileReader';

// Entry point of a search worker thread (bundled as dist/scanWorker.js): bounds the files it is
// sent (boundScan.ts) and posts the bounds back, so the first pass of a big search runs on every
// core and never blocks the thread that asked.

export interface ScanRequest {
  id: number;
  paths: string[];
  words: string[];
}

export type ScanReply = { id: number; bounds: Float64Array } | { id: number; error: string };

const reader = new ReusableFileReader();

parentPort?.on('message', (request: ScanRequest) => {
  let reply: ScanReply;
  try {
    reply = { id: request.id, bounds: boundFiles(request.paths, request.words, reader) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  // Transferred, not copied: the bounds were made for this reply.
  parentPort?.postMessage(reply, 'bounds' in reply ? [reply.bounds.buffer as ArrayBuffer] : []);
});
