import { ChatTurn } from './conversation';

// What a chat turn needs from a language model, with no vscode types: production wraps a
// `vscode.lm` model (lmModels.ts); tests may install a `ChatResponder`, used only when vscode.lm
// offers no model at all (the stable 1.100 API cannot register a model provider).

export interface CancelSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface ChatModelHandle {
  readonly id: string;
  readonly family: string;
  readonly label: string;
  /** Starts a reply; the returned fragments end early (or throw) once `signal` is cancelled. */
  request(turns: ChatTurn[], signal: CancelSignal): Promise<AsyncIterable<string>>;
}

/** A deterministic local model for tests. */
export interface ChatResponder {
  readonly id: string;
  readonly label: string;
  respond(turns: ChatTurn[], signal: CancelSignal): AsyncIterable<string>;
}

export function responderModel(responder: ChatResponder): ChatModelHandle {
  return {
    id: responder.id,
    family: responder.id,
    label: responder.label,
    request: async (turns, signal) => responder.respond(turns, signal),
  };
}

/** The `multichat.chat.model` setting names a model by id or family; empty means the first. */
export function pickDefaultModel(models: readonly ChatModelHandle[], preferred: string): ChatModelHandle | undefined {
  const wanted = preferred.trim();
  const match = wanted === '' ? undefined : models.find((model) => model.id === wanted || model.family === wanted);
  return match ?? models[0];
}
