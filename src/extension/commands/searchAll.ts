import * as vscode from 'vscode';
import { SearchHit } from '../../core/store';
import { Logger } from '../logger';
import { SessionRef } from '../sessionRef';
import { SessionCatalog } from '../tree/sessionCatalog';
import { relativeTime } from '../tree/relativeTime';

// Full-text search over every folder's store, merged best first; a failing folder is logged and
// skipped. An aborted search (a newer query replaced it) finds nothing and logs nothing.

export interface FolderHit {
  ref: SessionRef;
  hit: SearchHit;
}

export async function searchAllFolders(
  catalog: SessionCatalog,
  logger: Logger,
  query: string,
  limit: number,
  signal?: AbortSignal,
): Promise<FolderHit[]> {
  if (query.trim().length === 0) {
    return [];
  }
  const perFolder = await Promise.all(
    catalog.folders().map(async (folder) => {
      try {
        const hits = await (await catalog.storeFor(folder.uri)).search(query, { limit, signal });
        return hits.map((hit) => ({ ref: hitRef(folder.uri, hit), hit }));
      } catch (error) {
        if (!signal?.aborted) {
          logger.error('search', `could not search the sessions of ${folder.name}`, error);
        }
        return [];
      }
    }),
  );
  // Each folder's hits are already best first; a stable sort keeps that order within equal scores.
  return perFolder
    .flat()
    .sort((a, b) => b.hit.score - a.hit.score)
    .slice(0, limit);
}

function hitRef(folder: string, hit: SearchHit): SessionRef {
  return hit.messageId === null ? { folder, sessionId: hit.sessionId } : { folder, sessionId: hit.sessionId, messageId: hit.messageId };
}

export interface HitPickItem extends vscode.QuickPickItem {
  ref: SessionRef;
}

export function hitPickItem(catalog: SessionCatalog, found: FolderHit, now: Date): HitPickItem {
  const entry = catalog.find(found.ref);
  const details = [
    found.ref.messageId === undefined ? 'title' : 'in messages',
    entry && relativeTime(entry.summary.lastMessageAt, now),
    catalog.folders().length > 1 ? entry?.folder.name : undefined,
  ];
  return {
    label: found.hit.title,
    description: details.filter(Boolean).join(' · '),
    detail: found.hit.snippet,
    iconPath: new vscode.ThemeIcon('search'),
    ref: found.ref,
  };
}
