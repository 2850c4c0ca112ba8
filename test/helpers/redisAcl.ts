import { RedisServer, redisCli } from './redisServers';

// A least-privilege Redis user, as the README tells a team to make one: keys and channels under the
// store's prefix only, every command but the @dangerous ones (INFO, ROLE, CONFIG, KEYS, DEBUG…).

export interface AclUser {
  user: string;
  password: string;
  prefix: string;
}

/** The ACL SETUSER rules for a store user of `prefix`. */
export function storeUserRules(user: AclUser): string[] {
  return [user.user, 'reset', 'on', `>${user.password}`, `~${user.prefix}:*`, `&${user.prefix}:*`, '+@all', '-@dangerous'];
}

/** Creates the user on every given server (ACLs are per node: a cluster needs it on each). */
export async function addStoreUser(servers: RedisServer[], user: AclUser): Promise<void> {
  for (const server of servers) {
    const auth = server.password ? ['-a', server.password, '--no-auth-warning'] : [];
    const reply = await redisCli(['-p', String(server.port), ...auth, 'ACL', 'SETUSER', ...storeUserRules(user)], 5_000);
    if (reply.trim() !== 'OK') {
      throw new Error(`ACL SETUSER ${user.user} on port ${server.port} answered: ${reply.trim()}`);
    }
  }
}
