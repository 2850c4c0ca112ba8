// Importing other tools' chat histories in the editor: Import Sessions…, Import Copilot Chat
// History of This Workspace, the once-per-workspace offer and following the Copilot history.
import * as vscode from 'vscode';
import { ImportReport } from '../../interop/import/runImport';
import { importCopilotHistoryCommand, importSessionsCommand } from '../commands/importCommand';
import { registerCommandSpec, showWithLog } from '../commands/commandRunner';
import { StoreAccessMonitor } from '../health/storeAccessMonitor';
import { Logger } from '../logger';
import { asSentence } from '../plainText';
import { SessionCatalog } from '../tree/sessionCatalog';
import { reasonForUser } from '../userErrors';
import { CopilotFollower } from './copilotFollower';
import { CopilotHistory } from './copilotImport';
import { CopilotImportOffer, OfferOutcome } from './copilotOffer';

export interface ImportsDeps {
  context: vscode.ExtensionContext;
  catalog: SessionCatalog;
  access: StoreAccessMonitor;
  logger: Logger;
}

/** For integration tests: `activate` exports it as `imports` in ExtensionMode.Test only (extension.ts). */
export interface ImportsTestApi {
  /** The Copilot Chat history folder this workspace's imports and offer look at. */
  copilotHistoryFolder(): string | undefined;
  /** Runs the check the window makes when it opens: offers the import if it should; resolves with the answer. */
  offerCopilotImport(): Promise<OfferOutcome>;
  /** The report of the last follow-up import, once none is running (undefined when none ran). */
  whenFollowIdle(): Promise<ImportReport | undefined>;
}

export interface ImportsRegistration {
  api: ImportsTestApi;
  /** Once the stores are ready: follows the Copilot history, or offers to import it. Never awaited by activation. */
  start(): void;
}

/** Registers the import commands and the follower; all pushed to context.subscriptions. */
export function registerImports(deps: ImportsDeps): ImportsRegistration {
  const { context, catalog, access, logger } = deps;
  const history = new CopilotHistory(context.workspaceState, context.storageUri, catalog, logger);
  const importDeps = { catalog, history, logger };
  const follower = new CopilotFollower(history, catalog, logger);
  const offer = new CopilotImportOffer(importDeps);
  // An import that the file system refused to write may mean the store became read-only.
  const onFailure = (error: unknown): void => void access.noteWriteFailure(error);
  context.subscriptions.push(
    follower,
    registerCommandSpec(logger, importSessionsCommand(importDeps), onFailure),
    registerCommandSpec(logger, importCopilotHistoryCommand(importDeps), onFailure),
  );
  const offerSafely = (): Promise<OfferOutcome> =>
    offer.offer().catch((error: unknown) => {
      logger.error('import', 'could not import the Copilot Chat history', error);
      void showWithLog(logger, 'error', `Multichat could not import the Copilot Chat history: ${asSentence(reasonForUser(error))}`);
      return 'not-offered';
    });
  return {
    api: {
      copilotHistoryFolder: () => history.folder,
      offerCopilotImport: offerSafely,
      whenFollowIdle: () => follower.whenIdle(),
    },
    start: () => void (follower.enabled ? follower.follow() : offerSafely()),
  };
}
