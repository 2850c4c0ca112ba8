import * as vscode from 'vscode';
import { DEFAULT_TOKEN_BUDGET, budgetChars, formatSearch } from '../../core/recall/recallFormat';
import { pickSessions } from '../../core/recall/recallPick';
import { FoundSession, RecallDeps, gatherSearch } from './recallGather';

// @multichat in the chat view: /search lists matching sessions as links that open them in Multichat
// tabs; /recall hands the selected model the most relevant past messages and cites the sessions.
// Teammates' sessions reach the model only when the user asks: /recall leaves them out and offers a
// button that asks again as /recallWithTeam. /search shows their titles to the user alone.

export const PARTICIPANT_ID = 'multichat.recall';
/** The participant's name and slash commands, as package.json contributes them. */
const PARTICIPANT_NAME = 'multichat';
export const RECALL_WITH_TEAM_COMMAND = 'recallWithTeam';
const OPEN_COMMAND = 'multichat.openSession';
/** Sessions a recall answers from. */
const RECALL_SESSIONS = 8;

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
  'Answer the question below from these excerpts of past chat sessions (the user\'s own; any marked "shared by a teammate" is a teammate\'s). Cite the sessions you use by title and id. If the excerpts do not answer it, say so.';

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Says which teammates' sessions stay out, with a button that asks again with them. */
function offerTeamSessions(question: string, leftOut: readonly FoundSession[], ownUsed: number, stream: vscode.ChatResponseStream): void {
  const one = leftOut.length === 1;
  const theirs = plural(leftOut.length, 'session shared by a teammate', 'sessions shared by teammates');
  const them = one ? 'it' : 'them';
  const lead = ownUsed > 0 ? `${theirs} also ${one ? 'matches' : 'match'}; this answer is from your own sessions only.` : `Only ${theirs} ${one ? 'has' : 'have'} anything on that.`;
  stream.markdown(`${lead} Nothing of ${them} goes to the model unless you include ${them}:\n\n`);
  stream.markdown(linkList(leftOut));
  stream.button({
    title: "Include teammates' sessions",
    command: 'workbench.action.chat.open',
    arguments: [{ query: `@${PARTICIPANT_NAME} /${RECALL_WITH_TEAM_COMMAND} ${question}` }],
  });
}

async function answerFrom(sessions: readonly FoundSession[], request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<void> {
  // Half the model's window for the excerpts leaves room for the question and the answer.
  const tokens = Math.min(DEFAULT_TOKEN_BUDGET * 2, Math.floor((request.model.maxInputTokens || DEFAULT_TOKEN_BUDGET) / 2));
  const excerpts = formatSearch(request.prompt, sessions, budgetChars(tokens));
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
  stream.markdown(linkList(sessions));
}

interface RecallTurn {
  request: vscode.ChatRequest;
  stream: vscode.ChatResponseStream;
  token: vscode.CancellationToken;
  withTeam: boolean;
}

async function recall(deps: RecallDeps, { request, stream, token, withTeam }: RecallTurn): Promise<void> {
  // Twice as many as are used, so the user's own sessions still fill an answer that leaves teammates' out.
  const gathered = await gatherSearch(deps, { query: request.prompt, limit: RECALL_SESSIONS * 2 }, 'any');
  if (!gathered.ok || gathered.sessions.length === 0) {
    stream.markdown(gathered.ok ? 'No past session has anything on that.' : gathered.error);
    return;
  }
  const { used, leftOut } = pickSessions(gathered.sessions, RECALL_SESSIONS, withTeam);
  if (leftOut.length > 0) {
    offerTeamSessions(request.prompt, leftOut, used.length, stream);
  }
  if (used.length > 0) {
    await answerFrom(used, request, stream, token);
  }
}

export function recallChatHandler(deps: RecallDeps): vscode.ChatRequestHandler {
  return async (request, _context, stream, token) => {
    if (request.prompt.trim().length === 0) {
      stream.markdown('Type `/search` and some words, or `/recall` and a question about your past sessions (`/recallWithTeam` to include sessions teammates shared with you).');
    } else if (request.command === 'search') {
      await search(deps, request, stream);
    } else {
      await recall(deps, { request, stream, token, withTeam: request.command === RECALL_WITH_TEAM_COMMAND });
    }
  };
}
