// One api message's content as the text of a Multichat message. What a person wrote or read is
// kept: user text (Cline's <task>/<feedback> wrappers unwrapped, the <environment_details> it
// appends to every request removed) and assistant text. A tool call becomes one short line, so the
// transcript still shows what the agent did. Tool results are skipped: they are the tool's output
// (whole files, terminal logs), not anyone's words, and the assistant's next reply says what came
// of them. Images and thinking are skipped too. Every skip is counted.
import { SkippedParts, countSkipped } from '../importFormats';
import { ApiBlock, ApiMessage, textBlockSchema, toolResultBlockSchema, toolUseBlockSchema } from './clineSchema';
import { parseWith } from '../importErrors';
import { toolLine } from '../toolLine';

export interface ContentContext {
  file: string;
  /** The message's index in the file, for places in errors. */
  index: number;
  skipped: SkippedParts;
}

const ENVIRONMENT_DETAILS = /<environment_details>[\s\S]*?<\/environment_details>/g;
/** Tags Cline wraps around what the user typed: the task, feedback on a tool, an answer to a question. */
const USER_WRAPPERS = /<(task|feedback|answer|user_message)>\s*([\s\S]*?)\s*<\/\1>/g;

/** The message's text, or '' when nothing in it is worth keeping. */
export function contentText(message: ApiMessage, context: ContentContext): string {
  if (typeof message.content === 'string') {
    return textOf(message.content, message.role, context);
  }
  return message.content
    .map((block, position) => blockText(block, position, message.role, context))
    .filter((text) => text !== '')
    .join('\n\n');
}

function blockText(block: ApiBlock, position: number, role: ApiMessage['role'], context: ContentContext): string {
  const path = [context.index, 'content', position];
  switch (block.type) {
    case 'text':
      return textOf(parseWith(textBlockSchema, block, context.file, path).text, role, context);
    case 'tool_use': {
      const use = parseWith(toolUseBlockSchema, block, context.file, path);
      return toolLine(use.name, use.input);
    }
    case 'tool_result':
      parseWith(toolResultBlockSchema, block, context.file, path);
      return skip(context, 'cline tool result');
    case 'image':
      return skip(context, 'cline image');
    case 'thinking':
    case 'redacted_thinking':
      return skip(context, 'cline thinking');
    default:
      return skip(context, `cline block "${block.type.slice(0, 40)}"`);
  }
}

function textOf(text: string, role: ApiMessage['role'], context: ContentContext): string {
  if (role === 'assistant') {
    return text.trim();
  }
  const withoutDetails = text.replace(ENVIRONMENT_DETAILS, () => {
    countSkipped(context.skipped, 'cline environment details');
    return '';
  });
  return withoutDetails.replace(USER_WRAPPERS, (_whole, _tag, inner: string) => inner).trim();
}

function skip(context: ContentContext, kind: string): string {
  countSkipped(context.skipped, kind);
  return '';
}
