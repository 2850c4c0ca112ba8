import * as vscode from 'vscode';
import { Logger } from '../logger';
import { SessionCatalog } from '../tree/sessionCatalog';
import { RECALL_TOOL_NAME, RecallTool } from './recallTool';
import { PARTICIPANT_ID, recallChatHandler } from './recallParticipant';

/** In test mode only: the participant's handler, for a test to call with a fake request and stream. */
export interface RecallTestApi {
  chatHandler: vscode.ChatRequestHandler;
  /**
   * What the tool answered each prepareInvocation, in order: in a test host VS Code confirms a tool
   * invoked outside a chat request without showing its dialog, so this is where a test sees what was asked.
   */
  toolPreparations: readonly vscode.PreparedToolInvocation[];
}

/** Registers the recall tool and the @multichat participant. */
export function registerRecall(deps: { context: vscode.ExtensionContext; catalog: SessionCatalog; logger: Logger }): RecallTestApi {
  const { context, catalog, logger } = deps;
  const chatHandler = recallChatHandler({ catalog, logger });
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, chatHandler);
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'multichat.svg');
  const toolPreparations: vscode.PreparedToolInvocation[] = [];
  const onPrepared = context.extensionMode === vscode.ExtensionMode.Test ? (prepared: vscode.PreparedToolInvocation) => toolPreparations.push(prepared) : undefined;
  context.subscriptions.push(vscode.lm.registerTool(RECALL_TOOL_NAME, new RecallTool({ catalog, logger }, onPrepared)), participant);
  return { chatHandler, toolPreparations };
}
