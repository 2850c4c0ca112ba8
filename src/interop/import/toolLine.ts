// A tool call as one short line of Markdown, e.g. *Tool: `read_file` (path: src/a.ts)*: enough for
// a reader to follow what the agent did, without dumping its whole input into the transcript.
// Cline's and Continue's importers both render tool calls this way, so they read alike.

/** Longest the argument summary may grow; longer inputs are cut with an ellipsis. */
const MAX_ARGUMENTS = 160;
const MAX_NAME = 80;

/** The line for a call of `name` with `input` (an object of arguments, or anything else). */
export function toolLine(name: string, input: unknown): string {
  const shownName = oneLine(name).slice(0, MAX_NAME) || 'tool';
  const args = argumentSummary(input);
  return `*Tool: \`${shownName.replace(/`/g, "'")}\`${args ? ` (${args})` : ''}*`;
}

function argumentSummary(input: unknown): string {
  if (input === undefined || input === null) {
    return '';
  }
  const text =
    typeof input === 'object' && !Array.isArray(input)
      ? Object.entries(input as Record<string, unknown>)
          .map(([key, value]) => `${key}: ${valueText(value)}`)
          .join(', ')
      : valueText(input);
  const flat = oneLine(text).replace(/[*`]/g, "'");
  return flat.length > MAX_ARGUMENTS ? `${flat.slice(0, MAX_ARGUMENTS - 1)}…` : flat;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > MAX_ARGUMENTS ? `${value.slice(0, MAX_ARGUMENTS)}…` : value;
  }
  // Cut before stringifying the rest: an input can be megabytes of file content.
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_ARGUMENTS ? `${json.slice(0, MAX_ARGUMENTS)}…` : json;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
