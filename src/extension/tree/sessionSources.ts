// Where a session came from, as the Sessions view shows it: Multichat's own sessions unmarked,
// imported ones with the tool's name and an icon of its own. Pure and free of `vscode` so it is
// unit-tested in plain Node.
import { SessionSummary } from '../../core/model';

/** What Multichat's own sessions (and those of its export bundles) record as their source. */
export const OWN_SOURCE = 'multichat';

export interface SourceLook {
  /** For people: "Copilot". */
  label: string;
  /** A codicon of VS Code 1.100. */
  icon: string;
}

const LOOKS: Readonly<Record<string, SourceLook>> = {
  copilot: { label: 'Copilot', icon: 'copilot' },
  continue: { label: 'Continue', icon: 'debug-continue' },
  cline: { label: 'Cline', icon: 'robot' },
  roo: { label: 'Roo Code', icon: 'robot' },
  cursor: { label: 'Cursor', icon: 'inspect' },
};

/** How an imported session's source looks; undefined for Multichat's own sessions. */
export function importedLook(source: string): SourceLook | undefined {
  if (source === OWN_SOURCE || source === '') {
    return undefined;
  }
  return LOOKS[source] ?? { label: source, icon: 'desktop-download' };
}

/** The source's name for people, Multichat's own included. */
export function sourceLabel(source: string): string {
  return importedLook(source)?.label ?? 'Multichat';
}

export interface SourceCount {
  source: string;
  count: number;
}

/** Every source in use with how many sessions came from it: Multichat's own first, then by name. */
export function collectSources(summaries: Iterable<Pick<SessionSummary, 'source'>>): SourceCount[] {
  const counts = new Map<string, number>();
  for (const { source } of summaries) {
    const key = importedLook(source) ? source : OWN_SOURCE;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rank = (source: string) => (source === OWN_SOURCE ? 0 : 1);
  return [...counts.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || sourceLabel(a).localeCompare(sourceLabel(b)))
    .map(([source, count]) => ({ source, count }));
}

/** Whether the session is from one of the sources (any, when there are none). */
export function fromSources(summary: Pick<SessionSummary, 'source'>, sources: readonly string[]): boolean {
  return sources.length === 0 || sources.includes(importedLook(summary.source) ? summary.source : OWN_SOURCE);
}

export interface ViewFilters {
  /** Sessions with any of these tags (none: any session). */
  tagFilters?: readonly string[];
  /** Sessions from any of these sources (none: any session). */
  sourceFilters?: readonly string[];
}

/** Both filters must match: a tag of the tag filter and a source of the source filter. */
export function matchesFilters(summary: Pick<SessionSummary, 'source' | 'tags'>, filters: ViewFilters): boolean {
  const tags = filters.tagFilters ?? [];
  return (tags.length === 0 || summary.tags.some((tag) => tags.includes(tag))) && fromSources(summary, filters.sourceFilters ?? []);
}
