import { spawn } from 'node:child_process';
import { openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/tempDir';
import { GarbageScene } from './garbageScene';

// Garbage of every kind the store must survive, each written with redis-cli into a scene (see
// garbageScene.ts): what it writes, which key a read warning names (none when reads never meet
// it: index damage that only verify finds), which key verify's problem names, and what --repair
// leaves of the victim.

export interface GarbageRecipe {
  name: string;
  write(scene: GarbageScene): Promise<unknown>;
  /** What a read warning's `where` contains; undefined when reads do not meet the garbage. */
  warning?(scene: GarbageScene): string;
  /** What verify's problem's `where` contains. */
  problem(scene: GarbageScene): string;
  /** A text the quarantine holds after --repair (what was moved aside); undefined when nothing is. */
  quarantined?: string;
  /** How many messages the victim has after --repair. */
  repairedMessages: number;
}

const summaryField = (scene: GarbageScene): string => `${scene.victim.keys.summaries} field ${scene.victim.id}`;
const messageField = (id: string) => (scene: GarbageScene): string => `${scene.victim.keys.messages} field ${id}`;

/** Replaces a key with one of another type. */
async function retype(scene: GarbageScene, key: string, ...write: string[]): Promise<void> {
  await scene.redis('DEL', key);
  await scene.redis(...write);
}

/** HSET with a value read from a file (redis-cli -x), for values too large for an argument list. */
async function hsetFromFile(scene: GarbageScene, key: string, field: string, value: string): Promise<void> {
  const temp = makeTempDir('multichat-huge-');
  const file = join(temp.path, 'value');
  writeFileSync(file, value);
  const input = openSync(file, 'r');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('redis-cli', ['-p', scene.port, '-x', 'HSET', key, field], { stdio: [input, 'ignore', 'pipe'], timeout: 30_000, killSignal: 'SIGKILL' });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli -x HSET exited ${code}`))));
    });
  } finally {
    closeSync(input);
    temp.cleanup();
  }
}

export const GARBAGE: GarbageRecipe[] = [
  {
    name: 'a summary that is not JSON',
    write: (scene) => scene.redis('HSET', scene.victim.keys.summaries, scene.victim.id, 'not json {garbage-1'),
    warning: summaryField, problem: summaryField, quarantined: 'not json {garbage-1', repairedMessages: 3,
  },
  {
    name: 'a summary of the wrong shape',
    write: (scene) => scene.redis('HSET', scene.victim.keys.summaries, scene.victim.id, JSON.stringify({ id: scene.victim.id, title: 42, garbage: 2 })),
    warning: summaryField, problem: summaryField, quarantined: '"garbage":2', repairedMessages: 3,
  },
  {
    name: 'a summary under the wrong id',
    write: async (scene) => {
      const other = await scene.store.list().then((all) => all.find((summary) => summary.id === scene.bystanders[0]));
      await scene.redis('HSET', scene.victim.keys.summaries, scene.victim.id, JSON.stringify({ ...other, title: 'garbage-3' }));
    },
    warning: summaryField, problem: summaryField, quarantined: 'garbage-3', repairedMessages: 3,
  },
  {
    name: 'a summary over the size limit (64 KiB)',
    write: (scene) => scene.redis('HSET', scene.victim.keys.summaries, scene.victim.id, JSON.stringify({ id: scene.victim.id, title: `garbage-4${'x'.repeat(70_000)}` })),
    warning: summaryField, problem: summaryField, quarantined: 'garbage-4', repairedMessages: 3,
  },
  {
    name: 'a message that is not JSON',
    write: (scene) => scene.redis('HSET', scene.victim.keys.messages, 'm2', 'nope garbage-5'),
    warning: messageField('m2'), problem: messageField('m2'), quarantined: 'nope garbage-5', repairedMessages: 2,
  },
  {
    name: 'a message of the wrong shape',
    write: (scene) => scene.redis('HSET', scene.victim.keys.messages, 'm2', JSON.stringify({ id: 'm2', role: 'robot', content: 'garbage-6', createdAt: '2024-01-01T00:00:00.000Z' })),
    warning: messageField('m2'), problem: messageField('m2'), quarantined: 'garbage-6', repairedMessages: 2,
  },
  {
    name: 'a message over the size limit (64 MiB)',
    write: (scene) => hsetFromFile(scene, scene.victim.keys.messages, 'm2', `"${'x'.repeat(64 * 1024 * 1024)}"`),
    warning: messageField('m2'), problem: messageField('m2'), repairedMessages: 2,
  },
  {
    name: 'an order list naming a message that is missing',
    write: (scene) => scene.redis('RPUSH', scene.victim.keys.order, 'ghost'),
    warning: messageField('ghost'), problem: (scene) => scene.victim.keys.order, repairedMessages: 3,
  },
  {
    name: 'a string where the summaries hash should be',
    write: (scene) => retype(scene, scene.victim.keys.summaries, 'SET', scene.victim.keys.summaries, 'garbage-9'),
    warning: (scene) => scene.victim.keys.summaries, problem: (scene) => scene.victim.keys.summaries, quarantined: 'garbage-9', repairedMessages: 3,
  },
  {
    name: 'a hash where the order list should be',
    write: (scene) => retype(scene, scene.victim.keys.order, 'HSET', scene.victim.keys.order, 'm1', 'garbage-10'),
    warning: (scene) => scene.victim.keys.order, problem: (scene) => scene.victim.keys.order, quarantined: 'garbage-10', repairedMessages: 3,
  },
  {
    name: 'a list where the messages hash should be',
    write: (scene) => retype(scene, scene.victim.keys.messages, 'RPUSH', scene.victim.keys.messages, 'garbage-11'),
    warning: (scene) => scene.victim.keys.messages, problem: (scene) => scene.victim.keys.messages, quarantined: 'garbage-11', repairedMessages: 0,
  },
  {
    name: 'change-feed entries the store did not write',
    write: (scene) => scene.redis('XADD', scene.victim.keys.changes, '*', 'garbage', '12'),
    warning: (scene) => `${scene.victim.keys.changes} entry`, problem: (scene) => scene.victim.keys.changes, quarantined: '12', repairedMessages: 3,
  },
  {
    name: 'a string where the change feed should be',
    write: (scene) => retype(scene, scene.victim.keys.changes, 'SET', scene.victim.keys.changes, 'garbage-13'),
    warning: (scene) => scene.victim.keys.changes, problem: (scene) => scene.victim.keys.changes, quarantined: 'garbage-13', repairedMessages: 3,
  },
  {
    name: 'a string where the recent index should be',
    write: (scene) => retype(scene, scene.victim.keys.recent, 'SET', scene.victim.keys.recent, 'garbage-14'),
    warning: (scene) => scene.victim.keys.recent, problem: (scene) => scene.victim.keys.recent, quarantined: 'garbage-14', repairedMessages: 3,
  },
  {
    name: 'a session whose summary was lost',
    write: (scene) => scene.redis('HDEL', scene.victim.keys.summaries, scene.victim.id),
    problem: (scene) => scene.victim.keys.summaries, repairedMessages: 3,
  },
  {
    name: 'a recent-index member that names no session',
    write: (scene) => scene.redis('ZADD', scene.victim.keys.recent, '0', '2020-01-01T00:00:00.000Z\tghost'),
    problem: (scene) => scene.victim.keys.recent, repairedMessages: 3,
  },
  {
    name: 'an expiry entry of a session that has no summary',
    write: (scene) => scene.redis('ZADD', scene.victim.keys.expiry, String(Date.now() + 3_600_000), 'ghost'),
    problem: (scene) => scene.victim.keys.expiry, repairedMessages: 3,
  },
  {
    name: 'a session whose messages and order were evicted',
    write: (scene) => scene.redis('DEL', scene.victim.keys.messages, scene.victim.keys.order),
    warning: summaryField, problem: summaryField, repairedMessages: 0,
  },
  {
    name: 'a session whose creation key was evicted',
    write: (scene) => scene.redis('DEL', scene.victim.keys.creation),
    problem: (scene) => scene.victim.keys.creation, repairedMessages: 3,
  },
];
