import * as vscode from 'vscode';
import { budgetChars, formatSearch, formatSession, sharedConfirmation } from '../../core/recall/recallFormat';
import { RecallInput, parseRecallInput } from '../../core/recall/recallInput';
import { Gathered, RecallDeps, gatherSearch, gatherSession } from './recallGather';

// The language-model tool agents call (Copilot agent mode as #multichatSessions): search past
// sessions, or read one. What prepareInvocation gathered is what invoke returns, so the user
// confirms exactly the teammates' sessions the agent then reads.

export const RECALL_TOOL_NAME = 'multichat_searchSessions';

function gather(deps: RecallDeps, input: RecallInput): Promise<Gathered> {
  return input.sessionId !== undefined ? gatherSession(deps, input) : gatherSearch(deps, input, 'all');
}

function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

export class RecallTool implements vscode.LanguageModelTool<unknown> {
  /** Gathered by prepareInvocation, by input, for the invoke that follows it. */
  private readonly prepared = new Map<string, Gathered>();

  /** `onPrepared` (test mode only) sees what each prepareInvocation answered VS Code. */
  constructor(
    private readonly deps: RecallDeps,
    private readonly onPrepared?: (prepared: vscode.PreparedToolInvocation) => void,
  ) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>): Promise<vscode.PreparedToolInvocation> {
    const parsed = parseRecallInput(options.input);
    if (!parsed.ok) {
      return { invocationMessage: 'Checking the Multichat sessions request' };
    }
    const gathered = await gather(this.deps, parsed.input);
    this.prepared.set(JSON.stringify(options.input), gathered);
    const confirmation = gathered.ok ? sharedConfirmation(gathered.sessions) : undefined;
    const what = parsed.input.sessionId !== undefined ? `session ${parsed.input.sessionId}` : `"${parsed.input.query}"`;
    const prepared = { invocationMessage: `Searching past Multichat sessions for ${what}`, confirmationMessages: confirmation };
    this.onPrepared?.(prepared);
    return prepared;
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>): Promise<vscode.LanguageModelToolResult> {
    const parsed = parseRecallInput(options.input);
    if (!parsed.ok) {
      return textResult(parsed.error);
    }
    const key = JSON.stringify(options.input);
    const confirmed = this.prepared.get(key);
    this.prepared.delete(key);
    // Without a confirmation (no prepareInvocation ran), teammates' sessions stay out.
    const gathered = confirmed ?? (await gather(this.deps, parsed.input));
    if (!gathered.ok) {
      return textResult(gathered.error);
    }
    const sessions = confirmed ? gathered.sessions : gathered.sessions.filter((session) => !session.followed);
    const maxChars = budgetChars(options.tokenizationOptions?.tokenBudget);
    if (parsed.input.sessionId !== undefined) {
      return textResult(sessions[0] ? formatSession(sessions[0], maxChars) : 'That session is shared by a teammate and was not confirmed.');
    }
    return textResult(formatSearch(parsed.input.query ?? '', sessions, maxChars));
  }
}
