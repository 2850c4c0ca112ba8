// How `npm start` runs VS Code: the real product, with none of the test-only flags, so every dialog works. One
// module for start.mjs and for the UI test that checks the product's dialogs (ui-dialogs.mjs), so the test runs
// the server exactly as the product does.
import { startServer } from './server.mjs';

export const PRODUCT_SERVER = Object.freeze({ testOnlyFlags: Object.freeze([]) });

export function startProductServer(sandbox, port) {
  return startServer(sandbox, port, PRODUCT_SERVER);
}
