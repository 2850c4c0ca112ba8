import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { heapRelief } from '../src/interop/heapRelief';

const MB = 2 ** 20;

describe('heap relief between the items of a bulk job', () => {
  it('collects what died once the heap has grown by more than 16 MB', () => {
    const relieve = heapRelief();
    // About 60 MB of small objects on the JS heap (long strings may be ropes, buffers live outside).
    let held: { i: number; j: number }[][] | undefined = Array.from({ length: 40 }, (_, i) => Array.from({ length: 2 ** 15 }, (_, j) => ({ i, j })));
    const grown = getHeapStatistics().used_heap_size;
    assert.equal(held.length, 40);
    held = undefined;
    relieve();
    const relieved = getHeapStatistics().used_heap_size;
    assert.ok(relieved < grown - 40 * MB, `the dead objects are collected: ${Math.round(grown / MB)} MB before, ${Math.round(relieved / MB)} MB after`);
  });
});
