import * as vscode from 'vscode';
import { SessionRef, sessionKey } from '../sessionRef';

const DRAFTS_KEY = 'multichat.chat.drafts';

/**
 * Unsent drafts per session in workspaceState, so a draft survives a reload even when the
 * webview's own state is lost; an empty draft is forgotten.
 */
export class ChatDrafts {
  constructor(private readonly memento: vscode.Memento) {}

  get(ref: SessionRef): string {
    return this.all()[sessionKey(ref)] ?? '';
  }

  async set(ref: SessionRef, text: string): Promise<void> {
    const drafts = { ...this.all() };
    const key = sessionKey(ref);
    if (text === '') {
      if (!(key in drafts)) {
        return;
      }
      delete drafts[key];
    } else {
      drafts[key] = text;
    }
    await this.memento.update(DRAFTS_KEY, drafts);
  }

  private all(): Record<string, string> {
    return this.memento.get<Record<string, string>>(DRAFTS_KEY, {});
  }
}
