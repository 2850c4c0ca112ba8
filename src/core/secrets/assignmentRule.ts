// `password=hunter2`, `"api_key": "…"`, `DB_PASSWORD: …`: a secret-named key given a literal
// value. Most of the work is telling a literal from code that only names the secret
// (`password = input()`, `const token = getToken()`, `token: string`, `f(password=pw)`).
import { isPathOrUrl, isPlaceholder, looksRandom } from './textChecks';

type Range = [number, number];

/** Key names that hold a secret, as the last word of the key (`DB_PASSWORD`, `x-api-key`, `clientSecret`). */
const SECRET_KEY_WORDS = 'password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|auth[_-]?key';

/**
 * key, an optional closing quote (JSON), a separator (`=`, `:`, `:=`, `=>`; not `==` or `::`), and
 * a double-quoted, single-quoted or bare value.
 */
export const ASSIGNMENT_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z0-9_.-])(?<key>[A-Za-z0-9_.-]*?(?:${SECRET_KEY_WORDS}))(?![A-Za-z0-9_])["']?` +
    String.raw`(?<sep>[ \t]*(?::=|=>|=(?!=)|:(?!:))[ \t]*)(?:"(?<dq>[^"\r\n]*)"|'(?<sq>[^'\r\n]*)'|(?<bare>[^\s"'${'`'},;&]+))`,
  'gid',
);

/** The kind of an assignment: passwords by name, any other secret-named key as a credential. */
export function assignmentKind(match: RegExpExecArray): string {
  return /pass|pwd/i.test(match.groups?.key ?? '') ? 'password assignment' : 'credential assignment';
}

/**
 * The range of the assigned secret, or undefined when the value is no literal secret. A password
 * may be any literal (`hunter2`); other keys (`token` names lexer tokens too) want a value that
 * looks generated.
 */
export function assignmentSecret(match: RegExpExecArray, text: string): Range | undefined {
  const range = literalRange(match, text);
  if (!range || assignmentKind(match) === 'password assignment') {
    return range;
  }
  return looksRandom(text.slice(range[0], range[1])) ? range : undefined;
}

/** The range of the assigned value, if it is a literal rather than code, a reference or a placeholder. */
function literalRange(match: RegExpExecArray, text: string): Range | undefined {
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

/** A quoted value is a secret unless it is short, a phrase, a placeholder, a label, a path or a URL. */
function quotedSecret(value: string): boolean {
  return value.length >= 4 && !/\s/.test(value) && !isPlaceholder(value) && !isLabel(value) && !isPathOrUrl(value);
}

/**
 * Words naming a secret rather than being one: `invalidUserNameOrPassword`, `fallback-password`,
 * `password-for-30001`. A first word with digits or a symbol anywhere (`Password123!`) is no label.
 */
function isLabel(value: string): boolean {
  return /pass(?:word|wd)|secret|token/i.test(value) && /^[A-Za-z]+(?:[-_.][A-Za-z0-9]+)*$/.test(value);
}

/**
 * A bare value could be a secret unless it is short, a placeholder, a call or template (brackets),
 * a YAML tag/anchor/block marker or a reference (`!Ref`, `&a`, `*a`, `|`, `$X`, `@x`), a path, a
 * URL, or a small number.
 */
function bareSecret(value: string): boolean {
  if (value.length < 4 || isPlaceholder(value) || isLabel(value) || isPathOrUrl(value)) {
    return false;
  }
  return !/[()[\]{}<>]/.test(value) && !/^[!&*|>@$%#]/.test(value) && !/^\d{1,5}$/.test(value);
}

/**
 * Whether a bare value reads as a literal where it stands. A number does, except after a spaced
 * `=` (`SUBMIT_PASSWORD = 100004` is a constant). Any other value that is not an identifier (it
 * has `-`, `+`, `/`, …) does; a dotted name (`config.secret`, `a?.b`, `a!.b`) never does. A plain
 * identifier does after a tight `key=value` (shell, .env, query and connection strings) unless
 * code punctuation follows it (`f(password=pw)`); after a spaced `=` (code) it must hold a digit
 * (`password = hunter2`, not `password = pw`); after `:` it must be the whole rest of a line that
 * starts with the key (YAML, headers, `Password: …` in chat), and not a type-like PascalCase name.
 */
function literalInContext(value: string, match: RegExpExecArray, text: string, range: Range): boolean {
  const separator = match.groups?.sep ?? '';
  const codeAssignment = /\s/.test(separator) && separator.includes('=');
  if (/^\d+$/.test(value)) {
    return !codeAssignment;
  }
  if (!/^[A-Za-z_$][\w$]*(?:[?!]?\.[A-Za-z_$][\w$]*)*[?!]?$/.test(value)) {
    return true;
  }
  if (value.includes('.')) {
    return false;
  }
  if (!separator.includes('=')) {
    return wholeLine(text, match.index, range[1]) && !/^[A-Z][a-z]+(?:[A-Z][a-z]*)*$/.test(value);
  }
  return codeAssignment ? /\d/.test(value) : identifierLiteral(value, text, range[1]);
}

/** After a tight `=`: an identifier is a value unless code punctuation follows it (`f(password=pw)`) and it holds no digit. */
function identifierLiteral(value: string, text: string, valueEnd: number): boolean {
  return !/^[ \t]*[,)}]/.test(text.slice(valueEnd, valueEnd + 40)) || /\d/.test(value);
}

/** Whether the key opens its line (after indentation or a list marker) and the value ends it (a comment may follow). */
function wholeLine(text: string, keyStart: number, valueEnd: number): boolean {
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const before = text.slice(lineStart, keyStart);
  const newline = text.indexOf('\n', valueEnd);
  const after = text.slice(valueEnd, newline < 0 ? text.length : newline);
  return /^[ \t]*(?:[-*>][ \t]+)?["']?$/.test(before) && /^[ \t]*(?:#.*)?\r?$/.test(after);
}
