import { SearchSource } from '../../../core/wordIndex/indexedSearch';
import { SessionFileCatalog } from '../catalog/sessionFileCatalog';
import { FileStamp } from '../files/fileStamp';
import { SessionState } from '../log/sessionState';

// What the word index knows of a JSON store: a session's version is its file's stamp (an append
// changes size and mtime, a compaction or an outside rewrite the inode), as the catalog holds
// it — kept current by the directory watcher and rescans, and on every read.

export function jsonSearchSource(catalog: SessionFileCatalog, refresh: (id: string) => SessionState | undefined): SearchSource {
  return {
    async read(id) {
      let state: SessionState | undefined;
      try {
        state = refresh(id);
      } catch {
        return undefined; // unreadable now (verify names it): not found, as if deleted, until it reads again
      }
      return state?.session && { session: state.session, version: stampVersion(state.stamp) };
    },
    async versions() {
      const versions = new Map<string, string>();
      catalog.indexEntries().forEach((entry, id) => entry.summary && versions.set(id, stampVersion(entry.stamp)));
      return versions;
    },
    facts: (id) => catalog.summaryOf(id),
  };
}

function stampVersion(stamp: FileStamp): string {
  return `${stamp.size}:${stamp.ino}:${stamp.mtimeMs}`;
}
