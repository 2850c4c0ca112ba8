// What a process tree holds in memory on Linux: the proportional set size (PSS, shared pages split between
// the processes sharing them) of a process and all its descendants, from /proc. Used to put a figure on
// what the browser keeps for hidden chat tabs.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The Chromium that owns `profileDir` (its SingletonLock names "host-pid"), or undefined. */
export function browserPid(profileDir) {
  try {
    const pid = Number(readlinkSync(join(profileDir, 'SingletonLock')).split('-').pop());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** PSS in KiB of `rootPid` and its descendants; processes that exit while being read count as 0. */
export function treePssKb(rootPid) {
  const children = new Map();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const parent = parentOf(Number(name));
    if (parent !== undefined) {
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    }
  }
  let total = 0;
  for (const queue = [rootPid]; queue.length > 0; ) {
    const pid = queue.shift();
    total += pssOf(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

function parentOf(pid) {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function pssOf(pid) {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
