import { MultichatError, describeError, isMultichatError, storeUnavailable } from '../../core/errors';

// File-system failures in the words a user needs: the cause in plain language (with the errno
// code for a search engine) and the file the user knows — never a temp file, whose name is an
// implementation detail. A store that cannot be written reads "the store is read-only", so the
// editor and scripts can tell a refusal from a fault.

const CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file has reached the largest size allowed',
  EROFS: 'the file system is mounted read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EIO: 'the disk reported an input/output error',
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a folder',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  ENAMETOOLONG: 'its name is too long',
  EBUSY: 'it is in use',
};

const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);
const NO_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

export type WriteRefusal = 'read-only' | 'no-space';

/** The errno code of an error or of any error in its cause chain. */
function errnoCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      return code;
    }
  }
  return undefined;
}

/** A file or folder that does not exist (deleted, or not created yet): for most readers simply "nothing there". */
export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Why a write was refused, when the disk or the file system refused it (not a bug, not corruption). */
export function writeRefusal(error: unknown): WriteRefusal | undefined {
  const code = errnoCode(error);
  if (code === undefined) {
    return undefined;
  }
  return READ_ONLY_CODES.has(code) ? 'read-only' : NO_SPACE_CODES.has(code) ? 'no-space' : undefined;
}

/** "the disk is full (ENOSPC)", or the error's own message when it is not a file-system error. */
export function describeIoCause(error: unknown): string {
  const code = errnoCode(error);
  const cause = code === undefined ? undefined : CAUSES[code];
  if (cause !== undefined) {
    return `${cause} (${code})`;
  }
  return describeError(error);
}

/**
 * One line, "could not <action> <file>: <cause>", exit code 5; a refusal by a read-only file
 * system or folder says "the store is read-only". MultichatErrors pass through.
 */
export function ioFailure(action: string, file: string, error: unknown): MultichatError {
  if (isMultichatError(error)) {
    return error;
  }
  const cause = describeIoCause(error);
  const reason = writeRefusal(error) === 'read-only' ? `the store is read-only: ${cause}` : cause;
  return storeUnavailable(`could not ${action} ${file}: ${reason}`, error);
}

/** Runs file work, turning any file-system failure into ioFailure(action, file). */
export function withIoFailure<T>(action: string, file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw ioFailure(action, file, error);
  }
}

export async function withIoFailureAsync<T>(action: string, file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw ioFailure(action, file, error);
  }
}

/** An errno-style error, for failures the kernel reports without one (a short write). */
export function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}
