import { RedisClient } from '../redisConnection';
import { READ_SCRIPTS } from './readScripts';
import { REPAIR_SCRIPTS } from './repairScripts';
import { WRITE_SCRIPTS } from './writeScripts';

// The store's Lua scripts as commands of a client: ioredis sends EVALSHA and falls back to EVAL
// when the server does not know the script yet (after a restart, or on a new cluster node).

export type ScriptName = keyof typeof WRITE_SCRIPTS | keyof typeof READ_SCRIPTS | keyof typeof REPAIR_SCRIPTS;

type ScriptCommand = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

const ALL_SCRIPTS = { ...WRITE_SCRIPTS, ...READ_SCRIPTS, ...REPAIR_SCRIPTS };

export function defineScripts(client: RedisClient): void {
  for (const [name, definition] of Object.entries(ALL_SCRIPTS)) {
    client.defineCommand(name, definition);
  }
}

export function runScript(client: RedisClient, name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  const command = (client as unknown as Record<ScriptName, ScriptCommand>)[name];
  return command.call(client, ...keys, ...args);
}
