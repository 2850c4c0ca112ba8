import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

/**
 * The two limits ESLint has no stock rule for (eslint-rules/): at most 10 top-level functions a
 * file and at most 2 levels of inheritance, checked on fixtures just over and just at the limits
 * with the project's own lint configuration.
 */
const ROOT = join(__dirname, '..');

async function limitMessages(fixture: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT, ignore: false });
  const [result] = await eslint.lintFiles([join(ROOT, 'test', 'fixtures', 'lint', fixture)]);
  return result.messages.filter((message) => message.ruleId?.startsWith('limits/')).map((message) => `${message.line}: ${message.message}`);
}

describe('lint limits', () => {
  it('reports the eleventh top-level function and a class three levels deep', async () => {
    assert.deepEqual(await limitMessages('overLimits.ts'), [
      '5: Class inherits 3 levels deep. Maximum allowed is 2.',
      '24: File has too many top-level functions (11). Maximum allowed is 10.',
    ]);
  });

  it('accepts ten top-level functions, methods and two levels of inheritance', async () => {
    assert.deepEqual(await limitMessages('withinLimits.ts'), []);
  });
});
