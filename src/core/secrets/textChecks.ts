// Small judgements on a candidate secret value, shared by the project's own rules: is it a
// placeholder, a reference to a variable, a path, random-looking, and how much entropy it has.

/** Words that stand in for a secret in docs, templates and type annotations, compared lower-cased without `-`, `_` or spaces. */
const PLACEHOLDER_WORDS = new Set([
  'changeme', 'password', 'passwd', 'pass', 'pwd', 'secret', 'token', 'apikey', 'key', 'mypassword', 'mysecret',
  'mytoken', 'example', 'sample', 'placeholder', 'redacted', 'hidden', 'masked', 'none', 'null', 'nil', 'undefined',
  'true', 'false', 'required', 'optional', 'empty', 'dummy', 'value', 'string', 'str', 'number', 'int', 'integer',
  'bool', 'boolean', 'any', 'unknown', 'object', 'bytes', 'char', 'secretstr', 'notset', 'tbd', 'todo',
]);

/** Shapes that point somewhere else (`${VAR}`, `$VAR`, `{{ x }}`, `<your key>`, `%VAR%`) or mask the value. */
const PLACEHOLDER_SHAPES = [
  /^(.)\1*$/, // one character repeated: ***, xxxx, ....
  /^[*x•#._-]+$/i, // masks such as xXxX or **-**
  /^(?:\$\{|\$\(|\{\{|\{|<|\[|%[A-Za-z_]+%|\$[A-Za-z_])/, // references and templates
  /^(?:your|enter|insert|replace)[-_ ]/i, // your_token_here, YOUR_API_KEY, replace-me
  /^your[A-Z]/, // yourApiKey
  /example|redacted|placeholder|changeme|dummy/i,
];

/** Whether `value` is a placeholder or a reference rather than a secret. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    return true;
  }
  return PLACEHOLDER_WORDS.has(trimmed.toLowerCase().replace(/[-_ ]/g, '')) || PLACEHOLDER_SHAPES.some((shape) => shape.test(trimmed));
}

/** Shannon entropy of `value` in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) {
    return 0;
  }
  const counts = new Map<string, number>();
  for (const char of value) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const share = count / value.length;
    bits -= share * Math.log2(share);
  }
  return bits;
}

/** How many of lower-case letters, upper-case letters, digits and other characters `value` has. */
export function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(value)).length;
}

/** Whether a token body looks generated: no placeholder, letters and digits mixed, many distinct characters. */
export function looksRandom(value: string): boolean {
  if (isPlaceholder(value) || !/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) {
    return false;
  }
  return new Set(value).size >= Math.min(10, Math.ceil(value.length / 3));
}

/** Whether `value` is a file path or a URL (a URL with a password is another rule's business). */
export function isPathOrUrl(value: string): boolean {
  return /^(?:\/|\.\.?[\\/]|~[\\/]|[A-Za-z]:[\\/])/.test(value) || value.includes('://');
}

/** Whether `value` has the 8-4-4-4-12 hex shape of a UUID. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
