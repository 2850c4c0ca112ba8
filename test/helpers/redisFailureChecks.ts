import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { MultichatError } from '../../src/core/errors';
import { RedisConnection, connectRedis } from '../../src/stores/redis/redisConnection';
import { parseRedisSpec } from '../../src/stores/redis/redisSpec';

// Checks shared by the Redis connection tests: a failure is one MultichatError('unavailable', exit 5)
// that says what is wrong, comes within a bound, and shows no trace of the password anywhere a user or a
// log could see it (message, String(), stack, the cause chain, util.inspect of the whole thing).

/** The tests' password: the characters a URL must encode, and distinctive enough to search for. */
export const TEST_PASSWORD = 'p@ss/w:rd-Zq7';

export function withPassword(password: string = TEST_PASSWORD): string {
  return encodeURIComponent(password);
}

/** Asserts that `error` is a plain 'unavailable' failure matching `expected`, and hides `password`. */
export function assertPlainFailure(error: unknown, expected: RegExp, password: string = TEST_PASSWORD): MultichatError {
  assert.ok(error instanceof MultichatError, `not a MultichatError: ${inspect(error)}`);
  assert.equal(error.code, 'unavailable');
  assert.equal(error.exitCode, 5);
  assert.match(error.message, expected);
  assert.doesNotMatch(error.message, /\n/, 'one line');
  assertHidesPassword(error, password);
  return error;
}

export function assertHidesPassword(error: unknown, password: string = TEST_PASSWORD): void {
  const texts = [String(error), inspect(error, { depth: 20, showHidden: true })];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    texts.push(current.message, String(current.stack), JSON.stringify(Object.entries(current)));
  }
  for (const form of [password, encodeURIComponent(password), 'Zq7']) {
    for (const text of texts) {
      assert.ok(!text.includes(form), `the password shows in: ${text}`);
    }
  }
}

/** connectRedis(spec) must fail: the failure, and how long it took. */
export async function connectFailure(spec: string, env: NodeJS.ProcessEnv = {}): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  let connection: RedisConnection | undefined;
  try {
    connection = await connectRedis(parseRedisSpec(spec, env));
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  await connection.close();
  assert.fail(`connected to ${spec} although it should have failed`);
}

/** Runs `work` and returns what it rejected with; fails if it resolved. */
export async function rejection(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  assert.fail('it succeeded although it should have failed');
}
