// Small readers for the value shapes Copilot's response parts share: a markdown string (plain or
// `{value}`), a URI (a string, or VS Code's `{scheme, path, fsPath}`), and what an inline reference
// points at (a URI, a location `{uri, range}`, or a symbol `{name, location}`).

/** The text of a markdown value: a string or an IMarkdownString `{value}`. */
export function markdownOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  const inner = objectField(value, 'value');
  return typeof inner === 'string' ? inner : undefined;
}

/** The last path segment of a URI, decoded, or undefined when it is none. */
export function fileNameOf(uri: unknown): string | undefined {
  const path = typeof uri === 'string' ? uri.replace(/[?#].*$/, '') : firstString(objectField(uri, 'path'), objectField(uri, 'fsPath'));
  const name = path?.split(/[/\\]/).filter(Boolean).pop();
  return name === undefined ? undefined : decoded(name);
}

/** What an inline reference should read as: its own name, a symbol's name, or the file's name. */
export function nameOfReference(part: Record<string, unknown>): string | undefined {
  const reference = part.inlineReference;
  const named = firstString(part.name, objectField(reference, 'name'));
  if (named?.trim()) {
    return named;
  }
  const target = objectField(reference, 'location') ?? reference;
  return fileNameOf(objectField(target, 'uri') ?? target);
}

function objectField(value: unknown, key: string): unknown {
  return value && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string');
}

function decoded(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
