import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runImport } from '../../interop/import/runImport';
import { openStore } from '../../stores/openStore';
import { BenchFigures, BenchOptions } from './benchSteps';
import { writeCopilotHistory } from './copilotHistory';
import { round } from './stats';

// Import throughput: a large Copilot Chat history (a `chatSessions/` folder of whole-file sessions
// and append logs, ~1 KB replies) read and merged into a fresh JSON store, then imported a second
// time, when nothing has changed. At the default size (10,000 bench sessions) it is 2,000 Copilot
// sessions of 25 requests: 100,000 messages.

const REQUESTS_PER_SESSION = 25;
const REPLY_BYTES = 1_000;

export async function benchImport(options: BenchOptions, root: string): Promise<BenchFigures> {
  const folder = join(root, 'copilot');
  const sessions = Math.max(1, Math.round(options.sessions / 5));
  options.log(`import: writing a Copilot Chat history of ${sessions} sessions × ${REQUESTS_PER_SESSION} requests…`);
  const { messages } = await writeCopilotHistory(folder, { sessions, requestsPerSession: REQUESTS_PER_SESSION, replyBytes: REPLY_BYTES });
  const store = await openStore(`json:${join(root, 'import-json')}`);
  try {
    options.log(`import: ${messages} messages into a fresh JSON store…`);
    const first = await timed(() => runImport(store, folder, { from: 'copilot' }));
    if (first.report.messages !== messages || first.report.failed.length > 0) {
      throw new Error(`the import bench imported ${first.report.messages} of ${messages} messages (${first.report.failed.length} files failed)`);
    }
    options.log('import: the same history again (nothing changed)…');
    const again = await timed(() => runImport(store, folder, { from: 'copilot' }));
    return {
      importMessages: messages,
      importSessions: first.report.imported,
      importSeconds: round(first.seconds, 2),
      importMessagesPerSecond: Math.round(messages / first.seconds),
      reimportUnchangedSeconds: round(again.seconds, 2),
    };
  } finally {
    await store.close();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ report: T; seconds: number }> {
  const start = performance.now();
  const report = await work();
  return { report, seconds: (performance.now() - start) / 1000 };
}
