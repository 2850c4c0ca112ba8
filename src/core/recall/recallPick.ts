import { Message } from '../model';
import { SearchQuery, withinDates } from '../searchQuery';
import { RecallMessage } from './recallFormat';

// Which messages of a found session are worth handing a model. A search wants every word (as the
// stores match); a question asked in words ("how did we fix the parser?") wants the messages that
// share most of its meaningful words. Pure (searchQuery.ts is vscode-free).

export type MatchMode = 'all' | 'any';

const STOP_WORDS = new Set(
  'about after again also and any are because been before but can could did does doing done for from had has have how into its just let like more most not now off once only other our out over own same should some such than that the their them then there these they this those through too under until very was were what when where which while who why will with would you your'.split(' '),
);
const MAX_RECALL_WORDS = 8;

/** The meaningful words of a question, lower case, unique, at most eight. */
export function recallWords(question: string): string[] {
  const words = question
    .toLowerCase()
    .split(/[^\p{L}\p{N}_-]+/u)
    .filter((word) => word.length >= 3 && !STOP_WORDS.has(word));
  return [...new Set(words)].slice(0, MAX_RECALL_WORDS);
}

function wordsIn(content: string, words: readonly string[]): number {
  const lower = content.toLowerCase();
  return words.filter((word) => lower.includes(word)).length;
}

/**
 * The session's messages that match (every word, or any), of the wanted roles and days: the best
 * `max` of them, in the session's order, numbered by their place in the session.
 */
export function pickMessages(messages: readonly Message[], query: SearchQuery, mode: MatchMode, max: number): RecallMessage[] {
  const needed = mode === 'all' ? query.words.length : 1;
  const scored = messages
    .map((message, position) => ({ message, position, score: wordsIn(message.content, query.words) }))
    .filter(
      ({ message, score }) => score >= needed && (query.roles.length === 0 || query.roles.includes(message.role)) && withinDates(query, message.createdAt),
    );
  const best = scored.sort((a, b) => b.score - a.score || a.position - b.position).slice(0, max);
  return best
    .sort((a, b) => a.position - b.position)
    .map(({ message, position }) => ({ index: position + 1, role: message.role, createdAt: message.createdAt, content: message.content }));
}

/**
 * The best `max` sessions to answer from. Teammates' (followed) sessions only `withTeam`; without,
 * the user's own fill the answer and the teammates' that would have made the cut are left out, for
 * the user to include if they choose.
 */
export function pickSessions<T extends { followed: boolean }>(sessions: readonly T[], max: number, withTeam: boolean): { used: T[]; leftOut: T[] } {
  const best = sessions.slice(0, max);
  if (withTeam) {
    return { used: best, leftOut: [] };
  }
  return { used: sessions.filter((session) => !session.followed).slice(0, max), leftOut: best.filter((session) => session.followed) };
}
