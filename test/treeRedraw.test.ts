import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DrawnGroup, DrawnRow, changedRows, itemLook, planRedraw } from '../src/extension/tree/treeRedraw';

const row = (key: string, look = key): DrawnRow => ({ key, look });
const group = (key: string, rows?: DrawnRow[], look = key): DrawnGroup => ({ key, look, rows });
/** A row VS Code has not fetched: no look recorded. */
const notDrawn = (key: string): DrawnRow => ({ key });

describe('tree redraw plan', () => {
  it('redraws nothing when nothing shown changed', () => {
    const layout = [group('today', [row('a'), row('b')]), group('older')];
    assert.deepEqual(planRedraw(layout, layout), []);
  });

  it('redraws only the row whose look changed while a session is written, not its group or the tree', () => {
    const before = [group('today', [row('live', '3 messages'), row('deploy')]), group('older', [row('x')])];
    const after = [group('today', [row('live', '4 messages'), row('deploy')]), group('older', [row('x')])];
    assert.deepEqual(planRedraw(before, after), ['live']);
  });

  it('redraws a group, with its rows, when its rows came, went or moved', () => {
    const before = [group('today', [row('a'), row('b')]), group('older', [row('x')])];
    assert.deepEqual(planRedraw(before, [group('today', [row('b'), row('a')]), group('older', [row('x')])]), ['today']);
    assert.deepEqual(planRedraw(before, [group('today', [row('c'), row('a'), row('b')]), group('older', [row('x')])]), ['today']);
    assert.deepEqual(planRedraw(before, [group('today', [row('a')]), group('older', [row('x', 'renamed')])]), ['today', 'x']);
  });

  it('redraws a group whose own item changed (its count), and not its rows on their own', () => {
    const before = [group('older', [row('x')], '1')];
    assert.deepEqual(planRedraw(before, [group('older', [row('x', 'changed')], '2')]), ['older']);
  });

  it('redraws the whole tree only when the groups came, went or moved', () => {
    const before = [group('today', [row('a')]), group('older', [row('x')])];
    assert.equal(planRedraw(before, [group('today', [row('a')])]), 'all');
    assert.equal(planRedraw(before, [group('older', [row('x')]), group('today', [row('a')])]), 'all');
    assert.equal(planRedraw(before, [group('pinned', [row('p')]), ...before]), 'all');
  });

  it('leaves alone what VS Code never drew: a collapsed group\'s rows, a row not fetched yet', () => {
    const before = [group('today', [notDrawn('a')]), group('older')];
    assert.deepEqual(planRedraw(before, [group('today', [row('a', 'changed')]), group('older', [row('x')])]), []);
  });

  it('lists the changed rows of a flat list, or all when the rows moved', () => {
    assert.deepEqual(changedRows([row('a'), row('b')], [row('a'), row('b', 'live')]), ['b']);
    assert.equal(changedRows([row('a'), row('b')], [row('b'), row('a')]), 'all');
    assert.deepEqual(changedRows([], []), []);
  });

  it('tells items apart by what they show: label, description, menu, icon, tooltip text, spoken label', () => {
    const item = { label: 'Deploy', description: '2 messages', contextValue: 'session', iconPath: { id: 'comment-discussion' }, accessibilityInformation: { label: 'Deploy, 2 messages' } };
    assert.equal(itemLook(item), itemLook({ ...item, label: { label: 'Deploy' } }));
    for (const change of [{ description: '3 messages' }, { contextValue: 'session.mirrored' }, { iconPath: { id: 'cloud-upload' } }, { tooltip: 'Changing now' }, { accessibilityInformation: { label: 'Deploy, shared' } }]) {
      assert.notEqual(itemLook({ ...item, ...change }), itemLook(item), JSON.stringify(change));
    }
  });
});
