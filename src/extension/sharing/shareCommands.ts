import * as vscode from 'vscode';
import { MultichatError } from '../../core/errors';
import { describeFinding } from '../../core/secrets/secretScan';
import { HybridSessionStore } from '../../stores/shared/hybridStore';
import { CommandSpec } from '../commands/commandRunner';
import { openSessionRef } from '../commands/createCommands';
import { resolveFolder, resolveTargets } from '../commands/targets';
import { SessionRef } from '../sessionRef';
import { SessionCatalog } from '../tree/sessionCatalog';
import { WorkspaceStores } from '../workspaceStores';
import { SharedTreeProvider, isSharedNode } from './sharedTreeProvider';

// Share Session, Stop Sharing and Open Shared Session. Sharing checks a session for credentials
// first: one that holds any is shared only after the user chose, in a modal, to redact them in
// the team's copy or to share them anyway.

export interface ShareCommandDeps {
  stores: WorkspaceStores;
  catalog: SessionCatalog;
  shared: SharedTreeProvider;
}

const FINDINGS_SHOWN = 6;

export function shareSessionCommand(deps: ShareCommandDeps): CommandSpec {
  return {
    id: 'multichat.shareSession',
    failure: 'share the session',
    run: async (...args: unknown[]) => {
      const refs = await resolveTargets(deps.catalog, args, { placeHolder: vscode.l10n.t('Session to share with the team'), filter: (entry) => entry.sharing === undefined });
      for (const ref of refs ?? []) {
        await shareOne(await hybridOf(deps.stores, ref), ref);
      }
    },
  };
}

async function shareOne(store: HybridSessionStore, ref: SessionRef): Promise<void> {
  const outcome = await store.sharing.share(ref.sessionId, 'hold');
  if (outcome.shared) {
    return;
  }
  const title = (await store.get(ref.sessionId))?.title ?? ref.sessionId;
  const findings = outcome.findings.map(describeFinding);
  const more = findings.length > FINDINGS_SHOWN ? [vscode.l10n.t('…and {0} more.', findings.length - FINDINGS_SHOWN)] : [];
  const redact = vscode.l10n.t('Redact');
  const allow = vscode.l10n.t('Share Anyway');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('“{0}” holds what looks like a secret.', title),
    {
      modal: true,
      detail: [...findings.slice(0, FINDINGS_SHOWN), ...more, '', vscode.l10n.t('Redact shares it with each secret replaced by a marker; your copy keeps it.')].join('\n'),
    },
    redact,
    allow,
  );
  if (choice) {
    await store.sharing.share(ref.sessionId, choice === redact ? 'redact' : 'allow');
  }
}

export function stopSharingCommand(deps: ShareCommandDeps): CommandSpec {
  return {
    id: 'multichat.stopSharing',
    failure: 'stop sharing the session',
    run: async (...args: unknown[]) => {
      const refs = await resolveTargets(deps.catalog, args, { placeHolder: vscode.l10n.t('Session to stop sharing'), filter: (entry) => entry.sharing !== undefined });
      for (const ref of refs ?? []) {
        const store = await hybridOf(deps.stores, ref);
        if (store.sharing.modeOf(ref.sessionId) === 'shared' && !(await confirmUnshare(store, ref))) {
          continue;
        }
        store.sharing.stopSharing(ref.sessionId);
      }
    },
  };
}

async function confirmUnshare(store: HybridSessionStore, ref: SessionRef): Promise<boolean> {
  const title = (await store.get(ref.sessionId))?.title ?? ref.sessionId;
  const stop = vscode.l10n.t('Stop Sharing');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Stop sharing “{0}”?', title),
    { modal: true, detail: vscode.l10n.t("It leaves the team's Redis. Your copy stays here, and teammates keep the copies they have.") },
    stop,
  );
  return choice === stop;
}

/**
 * Opens a session from the team's namespace: pulled into a folder (the one that has it, or the user's pick) and followed.
 * Takes its id (a Shared row's click, scripts) or its Shared row (the row's context menu); the user picks it otherwise.
 */
export function openSharedSessionCommand(deps: ShareCommandDeps): CommandSpec {
  return {
    id: 'multichat.openSharedSession',
    failure: 'open the shared session',
    run: async (sessionArg?: unknown) => {
      const given = typeof sessionArg === 'string' ? sessionArg : isSharedNode(sessionArg) ? sessionArg.session.summary.id : undefined;
      const sessionId = given ?? (await pickTeamSession(deps));
      if (!sessionId) {
        return;
      }
      const hybrids = await deps.stores.openHybrids();
      const holder = hybrids.find(({ store }) => store.sharing.modeOf(sessionId) !== undefined);
      const folderUri = holder?.folder.uri.toString() ?? (await resolveFolder(deps.catalog, undefined, vscode.l10n.t('Folder to keep the shared session in')));
      if (!folderUri) {
        return;
      }
      const ref = { folder: folderUri, sessionId };
      const store = await hybridOf(deps.stores, ref);
      await store.sharing.pull(sessionId);
      await openSessionRef(ref);
    },
  };
}

async function pickTeamSession(deps: ShareCommandDeps): Promise<string | undefined> {
  await deps.shared.refresh();
  const { state, nodes } = await deps.shared.snapshot();
  if (state === 'notConnected') {
    throw new MultichatError('unavailable', 'not connected to a team Redis: set multichat.redis.url and run "Multichat: Connect Redis"');
  }
  const items = nodes.map((node) => ({ label: node.session.summary.title, description: node.session.lastAuthor, id: node.session.summary.id }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Multichat: nobody has shared a session yet.'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Shared session to open') }))?.id;
}

async function hybridOf(stores: WorkspaceStores, ref: SessionRef): Promise<HybridSessionStore> {
  const store = await stores.storeFor(stores.requireFolder(ref.folder));
  if (!(store instanceof HybridSessionStore)) {
    throw new MultichatError('usage', 'this window is not connected to a team Redis: set multichat.redis.url, then run "Multichat: Connect Redis"');
  }
  return store;
}
