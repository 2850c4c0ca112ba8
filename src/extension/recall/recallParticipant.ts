import * as vscode from 'vscode';
import { DEFAULT_TOKEN_BUDGET, budgetChars, formatSearch } from '../../core/recall/recallFormat';
import { FoundSession, RecallDeps, gatherSearch } from './recallGather';

// @multichat in the chat view: /search lists matching sessions as links that open them in Multichat
// tabs; /recall hands the selected model the most relevant past messages and cites the sessions.

export const PARTICIPANT_ID = 'multichat.recall';
const OPEN_COMMAND = 'multichat.openSession';

function openLink(session: FoundSession): string {
  const title = session.title.replace(/[[\]\\]/g, '\\$&');
  return `[${title}](command:${OPEN_COMMAND}?${encodeURIComponent(JSON.stringify([session.ref]))})`;
}

/** Trusted for the open command only, so a title or message cannot run anything else. */
function linkList(sessions: readonly FoundSession[]): vscode.MarkdownString {
  const lines = sessions.map((session) => `- ${openLink(session)} — ${session.folderName}, ${session.messages.length} matching message${session.messages.length === 1 ? '' : 's'}${session.followed ? ', shared by a teammate' : ''}`);
  const markdown = new vscode.MarkdownString(lines.join('\n'));
  markdown.isTrusted = { enabledCommands: [OPEN_COMMAND] };
  return markdown;
}

async function search(deps: RecallDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream): Promise<void> {
  const gathered = await gatherSearch(deps, { query: request.prompt, limit: 20 }, 'all');
  if (!gathered.ok || gathered.sessions.length === 0) {
    stream.markdown(gathered.ok ? `No past session matches "${request.prompt}".` : gathered.error);
    return;
  }
  stream.markdown(`${gathered.sessions.length} session${gathered.sessions.length === 1 ? '' : 's'} match "${request.prompt}":\n\n`);
  stream.markdown(linkList(gathered.sessions));
}

const INSTRUCTIONS =
  'Answer the question below from these excerpts of the user\'s past chat sessions. Cite the sessions you use by title and id. If the excerpts do not answer it, say so.';

async function recall(deps: RecallDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<void> {
  const gathered = await gatherSearch(deps, { query: request.prompt, limit: 8 }, 'any');
  if (!gathered.ok || gathered.sessions.length === 0) {
    stream.markdown(gathered.ok ? 'No past session has anything on that.' : gathered.error);
    return;
  }
  // Half the model's window for the excerpts leaves room for the question and the answer.
  const tokens = Math.min(DEFAULT_TOKEN_BUDGET * 2, Math.floor((request.model.maxInputTokens || DEFAULT_TOKEN_BUDGET) / 2));
  const excerpts = formatSearch(request.prompt, gathered.sessions, budgetChars(tokens));
  const messages = [vscode.LanguageModelChatMessage.User(`${INSTRUCTIONS}\n\n${excerpts}`), vscode.LanguageModelChatMessage.User(request.prompt)];
  try {
    const response = await request.model.sendRequest(messages, {}, token);
    for await (const fragment of response.text) {
      stream.markdown(fragment);
    }
  } catch (error) {
    stream.markdown(`The model could not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  stream.markdown('\n\n**Sessions used:**\n\n');
  stream.markdown(linkList(gathered.sessions));
}

export function recallChatHandler(deps: RecallDeps): vscode.ChatRequestHandler {
  return async (request, _context, stream, token) => {
    if (request.prompt.trim().length === 0) {
      stream.markdown('Type `/search` and some words, or `/recall` and a question about your past sessions.');
    } else if (request.command === 'search') {
      await search(deps, request, stream);
    } else {
      await recall(deps, request, stream, token);
    }
  };
}
