/** Ids shared by the view, its commands and the contributions in package.json. */
export const SESSIONS_VIEW_ID = 'multichat.sessions';
