import { ModelOption } from '../shared/protocol';

const DRAFT_POST_DELAY_MS = 300;

export interface ComposerEvents {
  send(text: string): void;
  stop(): void;
  /** Every edit, for the webview state; `settled` is true once typing pauses. */
  draft(text: string, settled: boolean): void;
  selectModel(modelId: string): void;
}

export interface ComposerElements {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  stop: HTMLButtonElement;
  model: HTMLSelectElement;
}

/** The input box, send and stop buttons and the model picker. Enter sends; Shift+Enter is a new line. */
export class Composer {
  private busy = false;
  private blocked = false;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly elements: ComposerElements,
    private readonly events: ComposerEvents,
  ) {
    const { form, input, stop, model } = elements;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    input.addEventListener('input', () => this.draftChanged());
    stop.addEventListener('click', () => events.stop());
    model.addEventListener('change', () => events.selectModel(model.value));
  }

  get draft(): string {
    return this.elements.input.value;
  }

  set draft(text: string) {
    this.elements.input.value = text;
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.elements.stop.hidden = !busy;
    this.updateSend();
  }

  /** A deleted session or a read-only store takes no more messages; the draft stays for the user to copy. */
  setBlocked(blocked: boolean): void {
    this.blocked = blocked;
    this.updateSend();
  }

  setModels(models: readonly ModelOption[], selected: string): void {
    const select = this.elements.model;
    if (models.length === 0) {
      select.replaceChildren(new Option('No language model installed', ''));
      select.disabled = true;
      return;
    }
    select.replaceChildren(...models.map((model) => new Option(model.label, model.id, false, model.id === selected)));
    select.disabled = false;
  }

  focus(): void {
    this.elements.input.focus();
  }

  private submit(): void {
    const text = this.elements.input.value;
    if (this.busy || this.blocked || text.trim() === '') {
      return;
    }
    this.events.send(text);
    this.elements.input.value = '';
    this.draftChanged();
  }

  private draftChanged(): void {
    const text = this.elements.input.value;
    this.events.draft(text, false);
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.events.draft(text, true), DRAFT_POST_DELAY_MS);
  }

  private updateSend(): void {
    this.elements.send.disabled = this.busy || this.blocked;
  }
}
