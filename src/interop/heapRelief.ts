// Keeps the heap of a long bulk job (export, migrate) near what it holds live.
//
// V8 sizes its heap for throughput: while a job allocates fast it lets dead objects pile up to
// several times the live heap before a full collection. A streaming export whose live heap is
// ~25 MB still peaked at 159-178 MB RSS, and migrate (two stores open) at 214-248 MB, on JSON
// stores of 5,000 and 10,000 sessions × 20 × 1 KB. A full collection whenever the heap has grown
// by 16 MB since the last one brings that to 117-125 MB and 133-150 MB, for a few ms each time
// and no measurable change in run time. Node offers no call for it without `--expose-gc`, so the
// flag is set at run time and the function taken from a fresh context, where V8 installs it;
// should that not work, relief does nothing and only memory is lost. The CLI uses it (a process
// of its own); the editor does not force collections in the shared extension host.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const GROWTH_BYTES = 16 * 2 ** 20;

/** A function to call between items of a bulk job. */
export function heapRelief(): () => void {
  const collect = fullCollection();
  if (!collect) {
    return () => undefined;
  }
  let floor = getHeapStatistics().used_heap_size;
  return () => {
    if (getHeapStatistics().used_heap_size - floor > GROWTH_BYTES) {
      collect();
      floor = getHeapStatistics().used_heap_size;
    }
  };
}

function fullCollection(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') {
    return exposed as () => void;
  }
  try {
    setFlagsFromString('--expose-gc');
    const collect: unknown = runInNewContext('gc');
    return typeof collect === 'function' ? (collect as () => void) : undefined;
  } catch {
    return undefined;
  }
}
