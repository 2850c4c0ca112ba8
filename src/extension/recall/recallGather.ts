import { findSecrets, redactSession } from '../../core/secrets/secretScan';
import { Session } from '../../core/model';
import { RecallInput, DEFAULT_RECALL_LIMIT, searchTextOf } from '../../core/recall/recallInput';
import { RecallMessage, RecallSession } from '../../core/recall/recallFormat';
import { MatchMode, pickMessages, recallWords } from '../../core/recall/recallPick';
import { SearchQuery, parseSearchQuery, summaryMatches } from '../../core/searchQuery';
import { FolderHit, searchAllFolders } from '../commands/searchAll';
import { Logger } from '../logger';
import { SessionRef, sessionKey } from '../sessionRef';
import { SessionEntry } from '../tree/grouping';
import { SessionCatalog } from '../tree/sessionCatalog';

// Gathers what the recall tool and @multichat answer from: the stores' search across every folder,
// the editor's filters, then each session read and its secrets redacted before anything leaves.

export interface RecallDeps {
  catalog: SessionCatalog;
  logger: Logger;
}

export type FoundSession = RecallSession & { ref: SessionRef };
export type Gathered = { ok: true; sessions: FoundSession[] } | { ok: false; error: string };

/** Messages kept per session found by a search. */
const MESSAGES_PER_SESSION = 5;

function recallSession(entry: SessionEntry, messages: RecallMessage[]): FoundSession {
  const { summary, folder } = entry;
  return {
    ref: { folder: folder.uri, sessionId: summary.id },
    id: summary.id,
    title: summary.title,
    folderName: folder.name,
    tags: summary.tags,
    source: summary.source,
    lastMessageAt: summary.lastMessageAt,
    messageCount: summary.messageCount,
    followed: entry.sharing === 'followed',
    messages,
  };
}

/** The session with whatever the secret scan flags replaced by markers: title and messages alike. */
async function redacted(session: FoundSession): Promise<FoundSession> {
  const scannable = { title: session.title, messages: session.messages.map((message) => ({ ...message, id: String(message.index) })) };
  const findings = await findSecrets(scannable);
  if (findings.length === 0) {
    return session;
  }
  const clean = redactSession(scannable, findings);
  return { ...session, title: clean.title, messages: clean.messages.map(({ id: _id, ...message }) => message) };
}

/** Hits for every word of the query, or (any) for each word, sessions matching more words first. */
async function hitsFor(deps: RecallDeps, words: string[], mode: MatchMode, limit: number, signal?: AbortSignal): Promise<FolderHit[]> {
  if (mode === 'all') {
    return searchAllFolders(deps.catalog, deps.logger, words.join(' '), limit, signal);
  }
  const merged = new Map<string, FolderHit & { words: number }>();
  for (const perWord of await Promise.all(words.map((word) => searchAllFolders(deps.catalog, deps.logger, word, limit, signal)))) {
    for (const hit of perWord) {
      const key = sessionKey(hit.ref);
      const seen = merged.get(key);
      merged.set(key, seen ? { ...seen, words: seen.words + 1, hit: { ...seen.hit, score: seen.hit.score + hit.hit.score } } : { ...hit, words: 1 });
    }
  }
  return [...merged.values()].sort((a, b) => b.words - a.words || b.hit.score - a.hit.score).slice(0, limit);
}

function passes(entry: SessionEntry | undefined, query: SearchQuery, input: RecallInput): entry is SessionEntry {
  return entry !== undefined && summaryMatches(query, entry.summary) && (input.source === undefined || entry.summary.source.toLowerCase() === input.source.toLowerCase());
}

/** Parses the search as Search Sessions does; a question (any) keeps only its meaningful words. */
function searchQueryOf(input: RecallInput, mode: MatchMode): SearchQuery | string {
  const query = parseSearchQuery(searchTextOf(input));
  if (query.problems.length > 0) {
    return `Cannot read ${query.problems.map((problem) => `"${problem.token}"`).join(', ')}: tags are one word, roles user, assistant or system, days YYYY-MM-DD.`;
  }
  query.words = mode === 'any' ? recallWords(query.words.join(' ')) : query.words;
  return query.words.length > 0 ? query : 'The search needs at least one word besides its filters.';
}

/** The sessions best matching the input's query and filters, best first, secrets redacted. */
export async function gatherSearch(deps: RecallDeps, input: RecallInput, mode: MatchMode, signal?: AbortSignal): Promise<Gathered> {
  const query = searchQueryOf(input, mode);
  if (typeof query === 'string') {
    return { ok: false, error: query };
  }
  await deps.catalog.whenIdle();
  const limit = input.limit ?? DEFAULT_RECALL_LIMIT;
  // Filters the stores do not apply (tag, source) drop some hits: ask for more than are kept.
  const hits = await hitsFor(deps, query.words, mode, limit * 3, signal);
  const sessions: FoundSession[] = [];
  for (const { ref } of hits) {
    const found = sessions.length < limit && !signal?.aborted ? await foundIn(deps, ref, query, { input, mode }) : undefined;
    if (found) {
      sessions.push(found);
    }
  }
  return { ok: true, sessions };
}

/** The hit's session with its matching messages, redacted; undefined when a filter or nothing in it matches. */
async function foundIn(deps: RecallDeps, ref: SessionRef, query: SearchQuery, how: { input: RecallInput; mode: MatchMode }): Promise<FoundSession | undefined> {
  const entry = deps.catalog.find(ref);
  if (!passes(entry, query, how.input)) {
    return undefined;
  }
  const messages = pickMessages((await readSession(deps, ref))?.messages ?? [], query, how.mode, MESSAGES_PER_SESSION);
  const titleMatches = query.roles.length === 0 && query.words[how.mode === 'all' ? 'every' : 'some']((word) => entry.summary.title.toLowerCase().includes(word));
  return messages.length > 0 || titleMatches ? redacted(recallSession(entry, messages)) : undefined;
}

async function readSession(deps: RecallDeps, ref: SessionRef): Promise<Session | undefined> {
  try {
    return await (await deps.catalog.storeFor(ref.folder)).get(ref.sessionId);
  } catch (error) {
    deps.logger.error('recall', `could not read session ${ref.sessionId}`, error);
    return undefined;
  }
}

/** One session by id (in whichever folder holds it), or its fromMessage..toMessage range. */
export async function gatherSession(deps: RecallDeps, input: RecallInput): Promise<Gathered> {
  await deps.catalog.whenIdle();
  const entry = deps.catalog.entries().find((each) => each.summary.id === input.sessionId);
  const session = entry && (await readSession(deps, { folder: entry.folder.uri, sessionId: entry.summary.id }));
  if (!entry || !session) {
    return { ok: false, error: `No session with id "${input.sessionId}" in this workspace; search first to find session ids.` };
  }
  const from = input.fromMessage ?? 1;
  const to = input.toMessage ?? session.messages.length;
  const messages = session.messages
    .slice(from - 1, to)
    .map((message, offset) => ({ index: from + offset, role: message.role, createdAt: message.createdAt, content: message.content }));
  return { ok: true, sessions: [await redacted(recallSession(entry, messages))] };
}
