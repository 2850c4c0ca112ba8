// Lets a test inside the extension host read the workbench DOM, which no extension API exposes (e.g. the text
// of a status bar item). The test writes `<id>.probe.json` into the bridge folder; the harness answers with
// `<id>.json` beside it. Files rather than log lines, so any harness that can reach the page answers the same
// way (the VS Code server's browser here, desktop VS Code over CDP in test-electron.mjs).
// The test side is test/integration/helpers/workbench.ts; both must agree on the file names and the reply shape.
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PROBE_SUFFIX = '.probe.json';

/** What a probe sees of each element; images also say whether they loaded (naturalWidth 0: broken). */
function describeElements(found) {
  return found.map((element) => ({
    id: element.id,
    text: element.innerText.replace(/\u00a0/g, ' '),
    ariaLabel: element.getAttribute('aria-label'),
    ...(element.tagName === 'IMG' ? { image: { src: element.currentSrc || element.src, naturalWidth: element.naturalWidth } } : {}),
  }));
}

/** `frames: true` also looks inside every frame (webviews: the extension page's README, chat tabs). */
async function queryPage(page, selector, frames) {
  if (!frames) {
    return page.$$eval(selector, describeElements);
  }
  const perFrame = await Promise.all(page.frames().map((frame) => frame.$$eval(selector, describeElements).catch(() => [])));
  return perFrame.flat();
}

async function answerProbe(page, bridge, name) {
  const request = join(bridge, name);
  const { id, selector, frames } = JSON.parse(readFileSync(request, 'utf8'));
  rmSync(request);
  const reply = await queryPage(page, selector, frames).then((elements) => ({ elements }), (error) => ({ error: String(error) }));
  const file = join(bridge, `${id}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(reply));
  renameSync(`${file}.tmp`, file); // the test polls for the file: it must appear complete
}

/** Answers probes written into `bridge` until the returned `stop()`; `getPage()` names the page to read. */
export function serveProbes(bridge, getPage, intervalMs = 50) {
  const answering = new Set();
  const timer = setInterval(() => {
    const page = getPage();
    if (!page) {
      return;
    }
    for (const name of readdirSync(bridge).filter((each) => each.endsWith(PROBE_SUFFIX) && !answering.has(each))) {
      answering.add(name);
      answerProbe(page, bridge, name)
        .catch((error) => console.error(`vscode-host: could not answer the workbench probe ${name}: ${error.message}`))
        .finally(() => answering.delete(name));
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
