// Typed errors shared by every layer. Each carries the CLI exit code it maps to, so the command
// boundary can turn any failure into one clear line and the right status.

export type ErrorCode = 'usage' | 'invalid-input' | 'not-found' | 'unavailable' | 'conflict';

const EXIT_CODES: Record<ErrorCode, number> = {
  usage: 2,
  'invalid-input': 3,
  'not-found': 4,
  unavailable: 5,
  conflict: 5,
};

export class MultichatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MultichatError';
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

export function invalidInput(message: string): MultichatError {
  return new MultichatError('invalid-input', message);
}

export function sessionNotFound(id: string): MultichatError {
  return new MultichatError('not-found', `no such session: ${id}`);
}

export function storeUnavailable(message: string, cause?: unknown): MultichatError {
  return new MultichatError('unavailable', message, { cause });
}

export function isMultichatError(error: unknown, code?: ErrorCode): error is MultichatError {
  return error instanceof MultichatError && (code === undefined || error.code === code);
}

/** The message of any thrown value, for logs and one-line reports. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
