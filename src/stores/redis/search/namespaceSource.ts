import { IndexedRead, SearchSource } from '../../../core/wordIndex/indexedSearch';
import { RedisReader } from '../redisReader';
import { SearchState } from './searchState';

// What the word index reads of a Redis namespace: sessions straight from Redis (validated by the
// reader), several at a time, since each read waits for the server; versions and facts from the
// search state; and a hit's one message by its position, not its whole session. A session Redis
// no longer has (deleted, expired, or unreadable: the reader warns) leaves the state with it.

export function namespaceSearchSource(reader: RedisReader, state: () => SearchState): SearchSource {
  const read = async (id: string): Promise<IndexedRead | undefined> => {
    const session = await reader.get(id);
    if (!session) {
      state().removed(id);
      return undefined;
    }
    return { session, version: state().read(session) };
  };
  return {
    read,
    readBatch: (ids) => Promise.all(ids.map(read)),
    versions: async () => state().versions(),
    facts: (id) => state().facts(id),
    readMessagesAt: (places) => reader.messagesAt(places),
  };
}
