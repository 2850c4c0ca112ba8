import * as vscode from 'vscode';
import { DisposableObject } from '../lifecycle';

// A chat tab whose page never says a word. Every page speaks within seconds: chat.js says "ready",
// and the page's inline watchdog reports files that did not load (loadWatchdog.ts). Silence means the
// page never ran at all: VS Code's own frame around it did not load. In code-server, where every
// webview shares one origin, each new frame registers the shared service worker anew and one can wait
// for it forever (seen most when tabs open or revive close together). A fresh page cannot help (it
// goes into the same frame); only a new tab can, so the watch says when the tab should be opened afresh.

/** How long a visible tab's page may stay silent: what the inline watchdog allows chat.js to start, and 5 s for VS Code's frame. */
export const PAGE_SILENCE_MS = 15_000;

export class PageSilenceWatch extends DisposableObject {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiting = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly onSilent: () => void,
    private readonly silenceMs = PAGE_SILENCE_MS,
  ) {
    super();
    // Only a shown page must speak: the clock runs while the tab is visible.
    this._register(panel.onDidChangeViewState(() => (panel.visible ? this.start() : this.stop())));
    this._register({ dispose: () => this.stop() });
  }

  /** A new page went in: it has to speak. */
  expectWord(): void {
    this.waiting = true;
    this.stop();
    this.start();
  }

  /** The page spoke. */
  heard(): void {
    this.waiting = false;
    this.stop();
  }

  private start(): void {
    if (!this.waiting || this.timer !== undefined || !this.panel.visible || this.isDisposed) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.waiting && !this.isDisposed && this.panel.visible) {
        this.waiting = false;
        this.onSilent();
      }
    }, this.silenceMs);
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
