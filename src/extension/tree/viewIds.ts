/** Ids shared by the view, its commands and contrib/tree.json. */
export const SESSIONS_VIEW_ID = 'multichat.sessions';
