import { userInfo } from 'node:os';

/** Who writes from this machine when nothing names them: the login name (undefined when the OS cannot say). */
export function loginName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}
