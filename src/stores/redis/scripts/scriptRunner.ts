import { RedisClient } from '../redisConnection';
import { READ_SCRIPTS } from './readScripts';
import { REPAIR_SCRIPTS } from './repairScripts';
import { ScriptDefinition, WRITE_SCRIPTS } from './writeScripts';

// The store's Lua scripts as commands of a client: ioredis sends EVALSHA and falls back to EVAL
// when the server does not know the script yet (after a restart, or on a new cluster node).

export type ScriptName = keyof typeof WRITE_SCRIPTS | keyof typeof READ_SCRIPTS | keyof typeof REPAIR_SCRIPTS;

type ScriptCommand = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

const ALL_SCRIPTS: Record<ScriptName, ScriptDefinition> = { ...WRITE_SCRIPTS, ...READ_SCRIPTS, ...REPAIR_SCRIPTS };

export function defineScripts(client: RedisClient): void {
  for (const [name, definition] of Object.entries(ALL_SCRIPTS)) {
    client.defineCommand(name, definition);
  }
}

export function runScript(client: RedisClient, name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  const command = (client as unknown as Record<ScriptName, ScriptCommand>)[name];
  const keyCount = ALL_SCRIPTS[name].numberOfKeys === undefined ? [keys.length] : [];
  return command.call(client, ...keyCount, ...keys, ...args);
}

/** How long a write waits for a replica to confirm it (see runScriptReplicated). */
export const REPLICA_WAIT_MS = 250;

/**
 * A write script followed by WAIT 1, in one round trip: the reply comes once a replica also has
 * the write, or after REPLICA_WAIT_MS when none confirmed it (the master's own copy, in its AOF, is
 * then all there is). Under Sentinel this is what lets a write survive the master's death.
 * Resolves the script's reply and how many replicas confirmed it.
 */
export async function runScriptReplicated(client: RedisClient, name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<{ reply: unknown; replicas: number }> {
  const pipeline = client.pipeline() as unknown as Record<ScriptName, ScriptCommand> & { wait(replicas: number, ms: number): unknown; exec(): Promise<[Error | null, unknown][] | null> };
  void pipeline[name](...keys, ...args); // queued: exec() sends it and carries its reply
  pipeline.wait(1, REPLICA_WAIT_MS);
  const [scriptResult, waitResult] = (await pipeline.exec()) ?? [[new Error('the write was not sent'), undefined]];
  if (scriptResult[0]) {
    throw scriptResult[0];
  }
  return { reply: scriptResult[1], replicas: Number(waitResult?.[1]) || 0 };
}
