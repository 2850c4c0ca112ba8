// Runs a child command to completion with stdin closed, so nothing can ever wait for a keyboard in CI.
import { spawn } from 'node:child_process';

/** `quiet: true` buffers the output: it is what the promise resolves with, and attached to the error on failure. */
export function run(command, args, { quiet = false, ...options } = {}) {
  return new Promise((resolvePromise, reject) => {
    const stdio = ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'];
    const child = spawn(command, args, { stdio, ...options });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => { // 'close': after the output has all been read
      if (code === 0) {
        resolvePromise(output);
      } else {
        const error = new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`);
        reject(Object.assign(error, { output }));
      }
    });
  });
}

/** Formats elapsed milliseconds as e.g. "1m 16s". */
export function elapsed(startMs) {
  const seconds = Math.round((Date.now() - startMs) / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}

/** A timer that does not keep the process alive by itself. */
export function delay(ms) {
  return new Promise((resolveWait) => setTimeout(resolveWait, ms).unref());
}
