// Chat histories of other tools as the import suites write them: a Copilot Chat session file (the
// v3 `.json` Copilot Chat writes into workspaceStorage/<hash>/chatSessions/) and a Multichat
// export bundle holding sessions that say where they came from.
import { writeFile } from 'node:fs/promises';

export interface CopilotTurn {
  question: string;
  answer: string;
}

/** A Copilot Chat v3 session, as `chatSessions/<sessionId>.json` holds it. */
export function copilotSession(sessionId: string, title: string, turns: readonly CopilotTurn[]): object {
  const start = Date.parse('2026-03-01T09:00:00.000Z');
  return {
    version: 3,
    sessionId,
    creationDate: start,
    lastMessageDate: start + turns.length * 60_000,
    customTitle: title,
    requesterUsername: 'you',
    responderUsername: 'GitHub Copilot',
    requests: turns.map((turn, index) => ({
      requestId: `request_${index + 1}`,
      message: { text: turn.question, parts: [] },
      response: [{ kind: 'markdownContent', content: { value: turn.answer } }],
      timestamp: start + index * 60_000,
      modelId: 'gpt-4o',
      result: { timings: { totalElapsed: 1200 } },
    })),
  };
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2));
}

export interface BundledSession {
  id: string;
  title: string;
  source: string;
  tags?: string[];
}

/** A Multichat export bundle of sessions with one exchange each. */
export function bundleOf(sessions: readonly BundledSession[]): object {
  const at = '2026-03-01T09:00:00.000Z';
  return {
    format: 'multichat-export',
    version: 1,
    exportedAt: at,
    sessions: sessions.map((session) => ({
      id: session.id,
      title: session.title,
      createdAt: at,
      updatedAt: at,
      tags: session.tags ?? [],
      pinned: false,
      source: session.source,
      messages: [
        { id: `${session.id}-q`, role: 'user', content: `a question in ${session.title}`, createdAt: at },
        { id: `${session.id}-a`, role: 'assistant', content: 'an answer', createdAt: at },
      ],
    })),
  };
}
