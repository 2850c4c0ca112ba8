// Reads the workbench DOM from inside the extension host through the harness's probe bridge
// (scripts/vscode-host/bridge.mjs): no extension API shows, e.g., the text of a status bar item. A probe is a
// file in the bridge folder, answered by a file beside it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ElementInfo {
  text: string;
  ariaLabel: string | null;
  /** For <img> elements: naturalWidth is 0 while the image has not loaded (or is broken). */
  image?: { src: string; naturalWidth: number };
}

export interface ProbeOptions {
  timeoutMs?: number;
  /** Also look inside every frame (webviews), not only the workbench page. */
  frames?: boolean;
}

let probeCount = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every element matching the CSS selector, as the browser shows it now. */
export async function queryWorkbench(selector: string, { timeoutMs = 5000, frames = false }: ProbeOptions = {}): Promise<ElementInfo[]> {
  const bridge = process.env.VSCODE_HOST_BRIDGE;
  if (!bridge) {
    throw new Error('VSCODE_HOST_BRIDGE is not set: run these tests through the harness (npm run test:vscode or test:electron)');
  }
  // Each suite is its own bundle with its own counter, all in one extension host: the random part keeps
  // two suites' probes from sharing a name (and one reading the other's answer).
  const id = `probe-${process.pid}-${++probeCount}-${randomBytes(4).toString('hex')}`;
  const request = join(bridge, `${id}.probe.json`);
  writeFileSync(`${request}.tmp`, JSON.stringify({ id, selector, frames }));
  renameSync(`${request}.tmp`, request); // the harness polls for the file: it must appear complete
  const reply = join(bridge, `${id}.json`);
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    if (existsSync(reply)) {
      const answer = JSON.parse(readFileSync(reply, 'utf8')) as { elements?: ElementInfo[]; error?: string };
      rmSync(reply, { force: true });
      if (answer.error !== undefined) {
        throw new Error(`workbench probe for ${selector} failed: ${answer.error}`);
      }
      return answer.elements ?? [];
    }
  }
  throw new Error(`the harness did not answer a workbench probe for ${selector} within ${timeoutMs} ms`);
}

/** Polls until `accept` holds for the matching elements; fails with what was last seen. */
export async function waitForWorkbench(
  selector: string,
  accept: (elements: ElementInfo[]) => boolean,
  timeoutMs = 10_000,
  { frames = false }: Pick<ProbeOptions, 'frames'> = {},
): Promise<ElementInfo[]> {
  let last: ElementInfo[] = [];
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
    last = await queryWorkbench(selector, { frames });
    if (accept(last)) {
      return last;
    }
  }
  throw new Error(`workbench never showed what was expected for ${selector}; last seen: ${JSON.stringify(last)}`);
}
