// Chat content is untrusted, so a link may only lead somewhere a browser link can safely go.
// Everything else (javascript:, data:, vscode:, command:, file:, relative paths) is refused and
// markdown renders it as plain text.

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

export function isSafeLink(href: string): boolean {
  try {
    // The URL parser drops tabs/newlines and lower-cases the scheme, as a browser would, so
    // obfuscations like "JaVa\tScript:" are judged by what they really are.
    return SAFE_PROTOCOLS.has(new URL(href.trim()).protocol);
  } catch {
    return false;
  }
}
