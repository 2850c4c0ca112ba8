// `password=hunter2`, `"api_key": "…"`, `DB_PASSWORD: …`: a secret-named key given a literal
// value. Most of the work is telling a literal from code that only names the secret
// (`password = input()`, `const token = getToken()`, `token: string`, `f(password=pw)`).
import { isPathOrUrl, isPlaceholder } from './textChecks';

type Range = [number, number];

/** Key names that hold a secret, as the last word of the key (`DB_PASSWORD`, `x-api-key`, `clientSecret`). */
const SECRET_KEY_WORDS = 'password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|auth[_-]?key';

/**
 * key, an optional closing quote (JSON), a separator (`=`, `:`, `:=`, `=>`; not `==` or `::`), and
 * a double-quoted, single-quoted or bare value.
 */
export const ASSIGNMENT_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z0-9_.-])(?<key>[A-Za-z0-9_.-]*?(?:${SECRET_KEY_WORDS}))(?![A-Za-z0-9_])["']?` +
    String.raw`(?<sep>[ \t]*(?::=|=>|=(?!=)|:(?!:))[ \t]*)(?:"(?<dq>[^"\r\n]*)"|'(?<sq>[^'\r\n]*)'|(?<bare>[^\s"'${'`'},;]+))`,
  'gid',
);

/** The kind of an assignment: passwords by name, any other secret-named key as a credential. */
export function assignmentKind(match: RegExpExecArray): string {
  return /pass|pwd/i.test(match.groups?.key ?? '') ? 'password assignment' : 'credential assignment';
}

/** The range of the assigned secret, or undefined when the value is no literal secret. */
export function assignmentSecret(match: RegExpExecArray, text: string): Range | undefined {
  const groups = match.indices?.groups ?? {};
  const quoted = groups.dq ?? groups.sq;
  if (quoted) {
    return quotedSecret(text.slice(quoted[0], quoted[1])) ? quoted : undefined;
  }
  return groups.bare ? bareRange(groups.bare, match, text) : undefined;
}

/**
 * The range of a bare value, if it reads as a literal secret. Trailing punctuation stays in the
 * range (`password=hunter2.` redacts the full stop too): it may be part of the password.
 */
function bareRange(bare: Range, match: RegExpExecArray, text: string): Range | undefined {
  const value = text.slice(bare[0], bare[1]);
  return bareSecret(value) && literalInContext(value, match, text, bare) ? bare : undefined;
}

/** A quoted value is a secret unless it is short, a phrase, or a placeholder. */
function quotedSecret(value: string): boolean {
  return value.length >= 4 && !/\s/.test(value) && !isPlaceholder(value);
}

/**
 * A bare value could be a secret unless it is short, a placeholder, a call or template (brackets),
 * a YAML tag/anchor/block marker or a reference (`!Ref`, `&a`, `*a`, `|`, `$X`, `@x`), a path, a
 * URL, or a small number.
 */
function bareSecret(value: string): boolean {
  if (value.length < 4 || isPlaceholder(value) || isPathOrUrl(value)) {
    return false;
  }
  return !/[()[\]{}<>]/.test(value) && !/^[!&*|>@$%#]/.test(value) && !/^\d{1,5}$/.test(value);
}

/**
 * Whether a bare value reads as a literal where it stands. A value that is not an identifier (it
 * has `-`, `+`, `/`, … or starts with a digit) always does; a dotted name (`config.secret`) never
 * does. A plain identifier does after a tight `key=value` (shell, .env, query strings, connection
 * strings) unless code punctuation follows it (`f(password=pw)`); after a spaced `=` (code) it
 * must hold a digit (`password = hunter2`, not `password = pw`); after `:` it must be the whole
 * rest of a line that starts with the key (YAML, headers, `Password: …` in chat), and not a
 * type-like PascalCase name.
 */
function literalInContext(value: string, match: RegExpExecArray, text: string, range: Range): boolean {
  if (!/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(value)) {
    return true;
  }
  if (value.includes('.')) {
    return false;
  }
  const separator = match.groups?.sep ?? '';
  if (separator.includes(':') && !separator.includes('=')) {
    return wholeLine(text, match.index, range[1]) && !/^[A-Z][a-z]+(?:[A-Z][a-z]*)*$/.test(value);
  }
  if (/\s/.test(separator)) {
    return /\d/.test(value);
  }
  return !/^[ \t]*[,)}]/.test(text.slice(range[1], range[1] + 40)) || /\d/.test(value);
}

/** Whether the key opens its line (after indentation or a list marker) and the value ends it (a comment may follow). */
function wholeLine(text: string, keyStart: number, valueEnd: number): boolean {
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const before = text.slice(lineStart, keyStart);
  const newline = text.indexOf('\n', valueEnd);
  const after = text.slice(valueEnd, newline < 0 ? text.length : newline);
  return /^[ \t]*(?:[-*>][ \t]+)?["']?$/.test(before) && /^[ \t]*(?:#.*)?\r?$/.test(after);
}
