// A synthetic Copilot Chat history for the import benchmark, laid out as VS Code keeps it: a
// `chatSessions/` folder with one file per session, half whole `.json` files (schema version 3)
// and half `.jsonl` mutation logs (a kind 0 line, then pushes and sets as a live chat appends
// them). The text is drawn from a fixed pool of sample texts, so that writing 100,000 messages
// takes a few seconds, and is seeded, so every run imports the same data.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleText, seededRandom } from './sampleData';

export interface CopilotHistoryOptions {
  sessions: number;
  requestsPerSession: number;
  /** About how long each reply is. */
  replyBytes: number;
}

const POOL_SIZE = 128;
const START = Date.UTC(2025, 0, 6, 9);
const MINUTE = 60_000;

interface Texts {
  prompts: string[];
  replies: string[];
}

/** Writes `<folder>/chatSessions/…`; resolves with the messages an import of it should hold. */
export async function writeCopilotHistory(folder: string, options: CopilotHistoryOptions): Promise<{ messages: number }> {
  const random = seededRandom(42);
  const texts: Texts = {
    prompts: Array.from({ length: POOL_SIZE }, () => sampleText(random, 80)),
    replies: Array.from({ length: POOL_SIZE }, () => sampleText(random, Math.max(1, options.replyBytes))),
  };
  const target = join(folder, 'chatSessions');
  await mkdir(target, { recursive: true });
  for (let index = 0; index < options.sessions; index++) {
    const session = sessionOf(index, options.requestsPerSession, texts);
    const asLog = index % 2 === 1;
    await writeFile(join(target, `${session.sessionId}.${asLog ? 'jsonl' : 'json'}`), asLog ? logOf(session) : JSON.stringify(session));
  }
  return { messages: options.requestsPerSession > 0 ? options.sessions * options.requestsPerSession * 2 : 0 };
}

interface SyntheticSession {
  sessionId: string;
  creationDate: number;
  lastMessageDate: number;
  requests: SyntheticRequest[];
  [field: string]: unknown;
}
type SyntheticRequest = Record<string, unknown> & { response: unknown[]; result: unknown };

function sessionOf(index: number, requestCount: number, texts: Texts): SyntheticSession {
  const creationDate = START + index * 30 * MINUTE;
  const requests = Array.from({ length: requestCount }, (_, at) => requestOf(index, at, creationDate + (at + 1) * MINUTE, texts));
  return {
    version: 3,
    requesterUsername: 'bench',
    responderUsername: 'GitHub Copilot',
    initialLocation: 'panel',
    requests,
    sessionId: `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
    creationDate,
    lastMessageDate: creationDate + requestCount * MINUTE,
    customTitle: `Bench chat ${index}`,
    isImported: false,
  };
}

function requestOf(session: number, at: number, timestamp: number, texts: Texts): SyntheticRequest {
  const pick = (pool: string[]) => pool[(session * 31 + at * 7) % pool.length];
  const reply = pick(texts.replies);
  const half = Math.floor(reply.length / 2);
  const prompt = `${at + 1}. ${pick(texts.prompts)}`;
  return {
    requestId: `request_${session.toString(16).padStart(8, '0')}-${at.toString(16).padStart(4, '0')}`,
    message: { text: prompt, parts: [{ range: { start: 0, endExclusive: prompt.length }, text: prompt, kind: 'text' }] },
    variableData: { variables: [] },
    response: [
      { kind: 'markdownContent', content: { value: reply.slice(0, half) } },
      { kind: 'inlineReference', inlineReference: { $mid: 1, path: `/work/bench/src/module${at % 10}.ts`, scheme: 'file' } },
      { kind: 'markdownContent', content: { value: reply.slice(half) } },
    ],
    result: { timings: { firstProgress: 400, totalElapsed: 2_500 } },
    isCanceled: false,
    timestamp,
    modelId: 'copilot/gpt-4o',
  };
}

/** The same session as a log: the first half whole in kind 0, the rest appended request by request. */
function logOf(session: SyntheticSession): string {
  const whole = Math.ceil(session.requests.length / 2);
  const lines: unknown[] = [{ kind: 0, v: { ...session, requests: session.requests.slice(0, whole), lastMessageDate: session.creationDate } }];
  for (const [at, request] of session.requests.entries()) {
    if (at < whole) {
      continue;
    }
    lines.push({ kind: 2, k: ['requests'], v: [{ ...request, response: [], result: undefined }] });
    lines.push({ kind: 2, k: ['requests', at, 'response'], v: request.response });
    lines.push({ kind: 1, k: ['requests', at, 'result'], v: request.result });
  }
  lines.push({ kind: 1, k: ['lastMessageDate'], v: session.lastMessageDate });
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}
