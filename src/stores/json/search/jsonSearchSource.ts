import { IndexedRead, MessagePlace, MessageText, SearchSource } from '../../../core/wordIndex/indexedSearch';
import { SessionFileCatalog } from '../catalog/sessionFileCatalog';
import { SessionState } from '../log/sessionState';
import { messageFromLines, stampVersion, storedAtOf } from './messageLines';

// What the word index knows of a JSON store: a session's version is its file's stamp (an append
// changes size and mtime, a compaction or an outside rewrite the inode), as the catalog holds
// it — kept current by the directory watcher and rescans, and on every read. A hit's message is
// read from its own lines while the file is the version indexed (messageLines.ts).

export function jsonSearchSource(catalog: SessionFileCatalog, refresh: (id: string) => SessionState | undefined): SearchSource {
  const read = async (id: string): Promise<IndexedRead | undefined> => {
    let state: SessionState | undefined;
    try {
      state = refresh(id);
    } catch {
      return undefined; // unreadable now (verify names it): not found, as if deleted, until it reads again
    }
    const lines = state?.messageLines;
    return state?.session && { session: state.session, version: stampVersion(state.stamp), storedAt: (messageId) => storedAtOf(lines?.get(messageId)) };
  };
  return {
    read,
    async versions() {
      const versions = new Map<string, string>();
      catalog.indexEntries().forEach((entry, id) => entry.summary && versions.set(id, stampVersion(entry.stamp)));
      return versions;
    },
    facts: (id) => catalog.summaryOf(id),
    readMessagesAt: (places) => Promise.all(places.map(async (place) => messageAlone(catalog.pathOf(place.id), place) ?? (await read(place.id))?.session.messages[place.position])),
  };
}

/** A file that cannot be read now is read whole, which says why (or finds it gone). */
function messageAlone(path: string, place: MessagePlace): MessageText | undefined {
  try {
    return messageFromLines(path, place);
  } catch {
    return undefined;
  }
}
