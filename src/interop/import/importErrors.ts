// How importers say what is broken: always the file, then the place inside it, then the problem,
// e.g. `…/chatSessions/abc.json: requests[3].message.text: expected a string`. Every such error is
// an invalid-input MultichatError, so the CLI exits 3 and the editor shows it as the user's data.
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { MultichatError, invalidInput } from '../../core/errors';
import { describeIoCause } from '../../stores/fs/ioErrors';

/** The error for something broken at `place` (a JSON path, `line 4`, a database key) in `file`. */
export function brokenAt(file: string, place: string, problem: string): MultichatError {
  return invalidInput(`${file}: ${place ? `${place}: ` : ''}${problem}`);
}

/** JSON files beyond this are refused: no chat history file is near it, and parsing one would exhaust memory. */
export const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

/** Reads a UTF-8 text file, with an unreadable or oversized one reported as the user's input. */
export async function readTextFile(file: string, maxBytes = MAX_JSON_FILE_BYTES): Promise<string> {
  try {
    const size = (await stat(file)).size;
    if (size > maxBytes) {
      throw brokenAt(file, '', `${size} bytes is more than the ${maxBytes} this import reads`);
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof MultichatError) {
      throw error;
    }
    throw invalidInput(`could not read ${file}: ${describeIoCause(error)}`);
  }
}

/** Parses JSON text, naming the file (and line, for JSON lines) when it is not JSON. */
export function parseJsonText(text: string, file: string, place = ''): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw brokenAt(file, place, `not valid JSON (${(error as Error).message})`);
  }
}

/** readTextFile then parseJsonText. */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJsonText(await readTextFile(file), file);
}

/** A zod-like issue path as `requests[3].message.text`. */
export function placeOf(path: readonly PropertyKey[], prefix = ''): string {
  return path.reduce<string>((place, part) => (typeof part === 'number' ? `${place}[${part}]` : place ? `${place}.${String(part)}` : String(part)), prefix);
}

/** The value as the schema reads it, or an error naming the file and the first place that is wrong. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string, prefix: readonly PropertyKey[] = []): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw brokenAt(file, placeOf([...prefix, ...issue.path]), issue.message);
  }
  return result.data;
}

/**
 * The entries of a JSON array file that only adds detail (an index of titles and dates), read
 * leniently: none when it is missing, unreadable or not an array, so it never fails an import.
 */
export async function readLenientArray(file: string): Promise<unknown[]> {
  const value = await readJsonFile(file).catch(() => undefined);
  return Array.isArray(value) ? (value as unknown[]) : [];
}
