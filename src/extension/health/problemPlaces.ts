import { basename } from 'node:path';
import { SessionStore } from '../../core/store';

// Where a store problem lies, in the words a user knows: the session's title when the damaged
// data belongs to a session (named by its id, or by a file named after it), else the file's name.

export interface ProblemPlace {
  where: string;
  what: string;
  sessionId?: string;
}

/** How many problems a notification names before "and N more". */
export const NAMED_PROBLEMS = 2;

/** `session "Flaky CI"`, or the file's name. */
export function placeName(place: ProblemPlace, titles: ReadonlyMap<string, string>): string {
  const file = basename(place.where);
  const title = titles.get(place.sessionId ?? file.replace(/\.[^.]*$/, ''));
  return title === undefined ? file : `session "${title}"`;
}

/** Titles by session id; empty when the store cannot list (the file names still say where). */
export async function sessionTitles(store: SessionStore): Promise<Map<string, string>> {
  try {
    return new Map((await store.list()).map((summary) => [summary.id, summary.title]));
  } catch {
    return new Map();
  }
}

/** `session "Flaky CI" (line 5: not valid JSON), index.json (…) and 3 more`. */
export function nameProblems(places: readonly ProblemPlace[], titles: ReadonlyMap<string, string>): string {
  return listSome(places.map((place) => `${placeName(place, titles)} (${place.what})`));
}

/** `a`, `a and b`, `a, b and 3 more`: the first NAMED_PROBLEMS, then a count. */
export function listSome(items: readonly string[]): string {
  const named = items.slice(0, NAMED_PROBLEMS);
  const more = items.length - named.length;
  if (more > 0) {
    return `${named.join(', ')} and ${more} more`;
  }
  return named.join(' and ');
}
