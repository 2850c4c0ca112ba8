import { Message } from '../../core/model';
import { SearchHit } from '../../core/store';
import { Logger } from '../logger';
import { SessionRef } from '../sessionRef';
import { SessionEntry } from '../tree/grouping';
import { snippetAround, plainText } from '../tree/plainPreview';
import { SessionCatalog } from '../tree/sessionCatalog';
import { matchingMessages, titleCounts } from '../../core/search';
import { SearchQuery, summaryMatches } from '../../core/searchQuery';
import { storeQueryText } from '../../core/searchQueryText';

// Full-text search over every folder's store, then every matching message of each session found:
// the stores rank sessions (one hit each, from their indexes), and the few sessions shown are read
// to list all their matching messages. A failing folder is logged and skipped; an aborted search
// (a newer query replaced it) finds nothing and logs nothing.

/** Sessions the stores rank; each is then read to list its messages. */
const SESSION_LIMIT = 40;
/** Messages listed per session; the rest are counted. */
export const MESSAGES_PER_SESSION = 20;
const SNIPPET_CHARS = 120;

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
        return hits.map((hit) => ({ ref: { folder: folder.uri, sessionId: hit.sessionId }, hit }));
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

export interface MessageMatch {
  ref: SessionRef & { messageId: string };
  role: Message['role'];
  createdAt: string;
  /** Plain text around the first word found, cut at word boundaries. */
  snippet: string;
}

export interface SessionMatches {
  entry: SessionEntry;
  titleMatches: boolean;
  /** The first MESSAGES_PER_SESSION matching messages, in the session's order. */
  messages: MessageMatch[];
  /** All matching messages, listed or not. */
  total: number;
  /** The first matching message not listed, when there are more. */
  firstUnlisted?: SessionRef & { messageId: string };
}

/** Every matching message of the best sessions, grouped by session, best session first. */
export async function findMessages(catalog: SessionCatalog, logger: Logger, query: SearchQuery, signal: AbortSignal): Promise<SessionMatches[]> {
  if (query.terms.length === 0) {
    return [];
  }
  const hits = await searchAllFolders(catalog, logger, storeQueryText(query), SESSION_LIMIT, signal);
  const found = await Promise.all(
    hits.map(async ({ ref }) => {
      const entry = catalog.find(ref);
      if (!entry || !summaryMatches(query, entry.summary) || signal.aborted) {
        return undefined;
      }
      try {
        return matchesIn(entry, (await (await catalog.storeFor(ref.folder)).get(ref.sessionId))?.messages ?? [], query);
      } catch (error) {
        logger.error('search', `could not read session ${ref.sessionId} for its matches`, error);
        return undefined;
      }
    }),
  );
  return found.filter((each): each is SessionMatches => each !== undefined && (each.total > 0 || each.titleMatches));
}

function matchesIn(entry: SessionEntry, messages: readonly Message[], query: SearchQuery): SessionMatches {
  const matching = matchingMessages(messages, query);
  const { summary, folder } = entry;
  // The stores' rule: a title has neither role nor day, so with such a filter only messages count.
  const titleMatches = titleCounts(query, summary.title);
  const refOf = (message: Message): SessionRef & { messageId: string } => ({ folder: folder.uri, sessionId: summary.id, messageId: message.id });
  const unlisted = matching[MESSAGES_PER_SESSION];
  return {
    entry,
    titleMatches,
    total: matching.length,
    firstUnlisted: unlisted && refOf(unlisted),
    messages: matching.slice(0, MESSAGES_PER_SESSION).map((message) => ({
      ref: refOf(message),
      role: message.role,
      createdAt: message.createdAt,
      snippet: snippetAround(plainText(message.content), query.terms, SNIPPET_CHARS),
    })),
  };
}
