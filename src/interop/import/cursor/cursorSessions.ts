// The sessions one state.vscdb holds: composer chats (global database, `cursorDiskKV`), and the
// older chat panel's tabs (`ItemTable`). A composer's bubbles are looked up one by one in the
// order its conversation headers give, so a database of tens of thousands of bubbles is never
// held whole. Any composer or bubble that is not JSON of the expected shape fails the whole
// file: a file imports whole or not at all.
import { isMultichatError } from '../../../core/errors';
import { Session } from '../../../core/model';
import { SkippedParts, countSkipped } from '../importFormats';
import { DraftMessage, DraftSession, finishSession, isoTime, sourceId } from '../sessionDraft';
import { BubbleOutcome, aichatMessage, composerMessage } from './cursorBubbles';
import { CursorDatabase } from './cursorDatabase';
import { AichatTab, CursorComposer, aichatSchema, bubbleSchema, composerListSchema, composerSchema, parseValue } from './cursorValues';

const COMPOSER_PREFIX = 'composerData:';
const AICHAT_KEY = 'workbench.panel.aichat.view.aichat.chatdata';
const COMPOSER_LIST_KEY = 'composer.composerData';

/** Every session in the database, in key order, each id once. */
export function readSessions(db: CursorDatabase, skipped: SkippedParts): Session[] {
  const tables = db.tables();
  const sessions = new Map<string, Session>();
  const keep = (session: Session | undefined) => {
    if (session && sessions.has(session.id)) {
      countSkipped(skipped, 'repeated chat');
    } else if (session) {
      sessions.set(session.id, session);
    }
  };
  if (tables.has('cursorDiskKV')) {
    db.eachWithPrefix('cursorDiskKV', COMPOSER_PREFIX, (key, value) => keep(composerSession(db, key, value, skipped)));
  }
  if (tables.has('ItemTable')) {
    aichatTabs(db).forEach((tab) => keep(tabSession(db.file, tab, skipped)));
    countGlobalComposers(db, tables.has('cursorDiskKV'), skipped);
  }
  if (sessions.size === 0) {
    countSkipped(skipped, 'state.vscdb without Cursor chats');
  }
  return [...sessions.values()];
}

function composerSession(db: CursorDatabase, key: string, value: string | undefined, skipped: SkippedParts): Session | undefined {
  const composerId = key.slice(COMPOSER_PREFIX.length);
  const composer = parseValue(composerSchema, value, { file: db.file, table: 'cursorDiskKV', key });
  const outcomes = composerOutcomes(db, composerId, composer);
  const draft: DraftSession = {
    id: sourceId('cursor', composerId),
    source: 'cursor',
    title: composer.name ?? undefined,
    createdAt: isoTime(composer.createdAt),
    updatedAt: isoTime(composer.lastUpdatedAt),
    messages: keptMessages(outcomes, skipped),
  };
  return withMessages(draft, db.file, skipped, 'composer without messages');
}

/** The bubbles in conversation order: by their headers (newer Cursor), else inline (older). */
function composerOutcomes(db: CursorDatabase, composerId: string, composer: CursorComposer): BubbleOutcome[] {
  const outcomes: BubbleOutcome[] = [];
  let model: string | undefined;
  const add = (outcome: BubbleOutcome, modelName: string | null | undefined) => {
    model = modelName || model;
    outcomes.push(typeof outcome === 'string' || outcome.role === 'user' || !model ? outcome : { ...outcome, model });
  };
  if (composer.fullConversationHeadersOnly) {
    for (const [index, header] of composer.fullConversationHeadersOnly.entries()) {
      const key = `bubbleId:${composerId}:${header.bubbleId}`;
      const value = db.value('cursorDiskKV', key);
      if (value === undefined) {
        outcomes.push('missing bubble');
        continue;
      }
      const bubble = parseValue(bubbleSchema, value, { file: db.file, table: 'cursorDiskKV', key });
      add(composerMessage(bubble, header.type, header.bubbleId || `${index}`), bubble.modelInfo?.modelName);
    }
  } else {
    for (const [index, bubble] of (composer.conversation ?? []).entries()) {
      add(composerMessage(bubble, undefined, `${index}`), bubble.modelInfo?.modelName);
    }
  }
  return outcomes;
}

function keptMessages(outcomes: readonly BubbleOutcome[], skipped: SkippedParts): DraftMessage[] {
  const messages: DraftMessage[] = [];
  for (const outcome of outcomes) {
    if (typeof outcome === 'string') {
      countSkipped(skipped, outcome);
    } else {
      messages.push(outcome);
    }
  }
  return messages;
}

/** The finished session; a chat left with no message (opened, never used) is counted instead. */
function withMessages(draft: DraftSession, file: string, skipped: SkippedParts, emptyKind: string): Session | undefined {
  if (draft.messages.length === 0) {
    countSkipped(skipped, emptyKind);
    return undefined;
  }
  return finishSession(draft, file);
}

function aichatTabs(db: CursorDatabase): AichatTab[] {
  const value = db.value('ItemTable', AICHAT_KEY);
  return value === undefined ? [] : (parseValue(aichatSchema, value, { file: db.file, table: 'ItemTable', key: AICHAT_KEY }).tabs ?? []);
}

function tabSession(file: string, tab: AichatTab, skipped: SkippedParts): Session | undefined {
  const outcomes = (tab.bubbles ?? []).map((bubble, index) => aichatMessage(bubble, `${tab.tabId}-${index}`));
  // The panel keeps one time per tab: when its last message was sent.
  const time = isoTime(tab.lastSendTime);
  const draft: DraftSession = { id: sourceId('cursor', tab.tabId), source: 'cursor', title: tab.chatTitle ?? undefined, createdAt: time, updatedAt: time, messages: keptMessages(outcomes, skipped) };
  return withMessages(draft, file, skipped, 'chat tab without messages');
}

/**
 * A workspace database lists its composers, but their conversations are in the global one: each
 * listed composer this file does not hold is counted, so the report points there. The list is
 * only a hint, so one that cannot be read is counted, not fatal.
 */
function countGlobalComposers(db: CursorDatabase, holdsComposers: boolean, skipped: SkippedParts): void {
  const value = db.value('ItemTable', COMPOSER_LIST_KEY);
  if (value === undefined) {
    return;
  }
  let listed;
  try {
    listed = parseValue(composerListSchema, value, { file: db.file, table: 'ItemTable', key: COMPOSER_LIST_KEY }).allComposers ?? [];
  } catch (error) {
    if (!isMultichatError(error, 'invalid-input')) {
      throw error;
    }
    countSkipped(skipped, 'unreadable composer list');
    return;
  }
  const elsewhere = listed.filter((entry) => !holdsComposers || db.value('cursorDiskKV', `${COMPOSER_PREFIX}${entry.composerId}`) === undefined).length;
  if (elsewhere > 0) {
    countSkipped(skipped, 'composer whose chat is in globalStorage/state.vscdb', elsewhere);
  }
}
