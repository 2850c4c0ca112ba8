import { MultichatError } from '../core/errors';

// Store specs may carry a password (`redis://user:password@host`). Whatever is wrong with a spec, what an
// error or a log line shows of it goes through redactStoreSpec, so a password typed into one never shows.

/**
 * The spec with any password replaced by `***`: the part between the user and the last `@` of its authority
 * (a raw `@` or `:` in a password included), and any `password=` option.
 */
export function redactStoreSpec(spec: string): string {
  const at = spec.lastIndexOf('@');
  let redacted = spec;
  if (at >= 0) {
    const slashes = spec.indexOf('//');
    const start = slashes >= 0 && slashes < at ? slashes + 2 : spec.indexOf(':') + 1;
    const colon = spec.indexOf(':', start);
    if (colon >= 0 && colon < at) {
      redacted = `${spec.slice(0, colon + 1)}***${spec.slice(at)}`;
    }
  }
  return redacted.replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1***');
}

/** A usage error about a spec, quoting it redacted. */
export function invalidStoreSpec(spec: string, problem: string): MultichatError {
  return new MultichatError('usage', `invalid store "${redactStoreSpec(spec)}": ${problem}`);
}
