// Lets a test inside the extension host read the workbench DOM, which no extension API exposes (e.g. the text
// of a status bar item). The test logs a probe line; the harness answers with a JSON file in the bridge folder.
// The test side is test/integration/helpers/workbench.ts; both must agree on PROBE_PREFIX and the reply shape.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PROBE_PREFIX = '[vscode-host-probe] ';

export const isProbe = (text) => text.startsWith(PROBE_PREFIX);

/** Replies `{ elements: [{ id, text, ariaLabel }] }` for every element matching the probe's CSS selector; the
 * editor's non-breaking spaces become plain ones. */
export async function answerProbe(page, sandbox, text) {
  const { id, selector } = JSON.parse(text.slice(PROBE_PREFIX.length));
  const reply = await page
    .$$eval(selector, (found) => found.map((element) => ({ id: element.id, text: element.innerText.replace(/\u00a0/g, ' '), ariaLabel: element.getAttribute('aria-label') })))
    .then((elements) => ({ elements }), (error) => ({ error: String(error) }));
  const file = join(sandbox.bridge, `${id}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(reply));
  renameSync(`${file}.tmp`, file); // the test polls for the file: it must appear complete
}
