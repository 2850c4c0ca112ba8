import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleSession, seededRandom } from '../src/cli/bench/sampleData';
import { SessionSummary, summarize } from '../src/core/model';
import { prepareSession } from '../src/core/validate';
import { plainSummary } from '../src/stores/redis/plainSummary';
import { encodeSummary, parseSummary } from '../src/stores/redis/redisRecords';

// The quick check a listing runs before zod (plainSummary.ts) may only ever accept what
// summarySchema accepts, and must build the very object summarySchema builds; what it declines,
// parseSummary decides. Held to that over the summaries the store writes and over variations of
// every field, valid and not.

const BASE: SessionSummary = summarize(prepareSession({ id: 'base-session_1', title: 'A title', tags: ['one', 'two'], createdAt: '2024-02-29T23:59:59.999Z' }));

const TIMES = [
  '2024-02-29T00:00:00.000Z', '2023-02-29T00:00:00.000Z', '2000-02-29T12:00:00.000Z', '1900-02-29T12:00:00.000Z', '2024-04-30T00:00:00.000Z',
  '2024-04-31T00:00:00.000Z', '2024-12-31T23:59:59.999Z', '2024-13-01T00:00:00.000Z', '2024-00-10T00:00:00.000Z', '2024-01-00T00:00:00.000Z',
  '2024-01-01T24:00:00.000Z', '2024-01-01T00:60:00.000Z', '2024-01-01T00:00:60.000Z', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.123456Z',
  '2024-01-01T00:00:00.000+01:00', '2024-01-01 00:00:00.000Z', '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', 20240101, '',
];
const VARIANTS: Record<keyof SessionSummary, unknown[]> = {
  id: ['other-id', '', 'x'.repeat(65), 'with space', 7],
  title: ['t', ' padded', 'padded ', '', '   ', 'x'.repeat(500), 'x'.repeat(501), 'tab\tinside', 'été', 42, null],
  createdAt: TIMES,
  updatedAt: TIMES,
  lastMessageAt: TIMES,
  untitled: [true, false, 'true', 0, null],
  tags: [[], ['a'], ['a b'], ['a,b'], [' a'], [''], ['x'.repeat(100)], ['x'.repeat(101)], Array.from({ length: 100 }, (_, i) => `t${i}`), Array.from({ length: 101 }, (_, i) => `t${i}`), [1], 'a', ['été']],
  pinned: [true, false, 'false', 1],
  source: ['', 'multichat', 'x'.repeat(100), 'x'.repeat(101), 3],
  messageCount: [0, 1, 10_000, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, '3', null],
};

function bothWays(raw: unknown, id: string): { plain: SessionSummary | undefined; schema: ReturnType<typeof parseSummary> } {
  return { plain: plainSummary(raw, id), schema: parseSummary(raw, id) };
}

function assertAgrees(raw: unknown, id: string, what: string): boolean {
  const { plain, schema } = bothWays(raw, id);
  if (plain !== undefined) {
    assert.ok(schema.ok, `${what}: accepted plainly, but summarySchema says ${schema.ok ? '' : schema.problem}`);
    assert.equal(JSON.stringify(plain), JSON.stringify(schema.value), `${what}: not the object summarySchema builds`);
  }
  return plain !== undefined;
}

describe('the quick summary check of a listing', () => {
  it('accepts the summaries the store writes, as summarySchema reads them', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 200; i++) {
      const summary = summarize(prepareSession(sampleSession(random, i, 3)));
      assert.ok(assertAgrees(encodeSummary(summary), summary.id, `sample ${i}`), `sample ${i} is plain`);
    }
    assert.ok(assertAgrees(encodeSummary(BASE), BASE.id, 'base'));
  });

  it('never accepts what summarySchema refuses or would change, field by field', () => {
    let accepted = 0;
    let declined = 0;
    for (const [field, values] of Object.entries(VARIANTS)) {
      for (const value of values) {
        const raw = JSON.stringify({ ...BASE, [field]: value });
        const id = field === 'id' && typeof value === 'string' ? value : BASE.id;
        if (assertAgrees(raw, id, `${field} = ${JSON.stringify(value)}`)) {
          accepted++;
        } else {
          declined++;
        }
      }
    }
    assert.ok(accepted > 20 && declined > 40, `both sides tried: ${accepted} accepted, ${declined} declined`);
  });

  it('leaves anything else to summarySchema: other shapes, extra or missing keys, another id, other key orders', () => {
    const withoutId = Object.fromEntries(Object.entries(BASE).filter(([key]) => key !== 'id'));
    const reordered = Object.fromEntries(Object.entries(BASE).reverse());
    const cases: [unknown, string][] = [
      [JSON.stringify({ ...BASE, extra: 1 }), 'an extra key'],
      [JSON.stringify(withoutId), 'no id'],
      [`{"__proto__":{"id":"x"},${JSON.stringify(BASE).slice(1)}`, 'a __proto__ key'],
      ['[]', 'an array'],
      ['null', 'null'],
      ['"text"', 'a string'],
      ['{not json', 'not JSON'],
      [JSON.stringify({ ...BASE, title: 'x'.repeat(9000) }), 'larger than the quick check looks at'],
      [42, 'not a string'],
    ];
    for (const [raw, what] of cases) {
      assert.equal(plainSummary(raw, BASE.id), undefined, what);
    }
    assert.equal(plainSummary(encodeSummary(BASE), 'another-id'), undefined, 'the summary of another session');
    assert.ok(assertAgrees(JSON.stringify(reordered), BASE.id, 'keys in another order'), 'keys in another order are still plain');
  });
});
