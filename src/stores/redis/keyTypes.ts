import { RedisClient } from './redisConnection';

// Keys of the wrong type: someone (redis-cli, another program) put a string where the store keeps
// a hash, a hash where it keeps a list… A script touching such a key fails whole with WRONGTYPE
// and does not say which key it was; these helpers find out, so a warning or a verify problem can
// name it.

export type RedisType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';

export interface KeyOfWrongType {
  key: string;
  /** What TYPE says the key holds. */
  actual: string;
  expected: RedisType;
}

const NAMES: Record<string, string> = { zset: 'sorted set' };

export function isWrongTypeError(error: unknown): boolean {
  return error instanceof Error && /\bWRONGTYPE\b/.test(error.message);
}

/** Which of these keys hold something else than expected (a missing key is never wrong). */
export async function keysOfWrongType(client: RedisClient, expected: readonly (readonly [key: string, type: RedisType])[]): Promise<KeyOfWrongType[]> {
  const actual = await Promise.all(expected.map(([key]) => client.type(key)));
  return expected.flatMap(([key, type], index) => (actual[index] === type || actual[index] === 'none' ? [] : [{ key, actual: actual[index], expected: type }]));
}

/** "is a string, not a hash". */
export function describeWrongType(found: Pick<KeyOfWrongType, 'actual' | 'expected'>): string {
  return `is a ${NAMES[found.actual] ?? found.actual}, not a ${NAMES[found.expected] ?? found.expected}`;
}
