import * as vscode from 'vscode';
import { describeError } from '../core/errors';

/** One log channel for the extension; each line carries the component that wrote it. */
export class Logger implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Multichat', { log: true });

  info(component: string, message: string): void {
    this.channel.info(`[${component}] ${message}`);
  }

  warn(component: string, message: string): void {
    this.channel.warn(`[${component}] ${message}`);
  }

  error(component: string, message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${describeError(error)}`;
    this.channel.error(`[${component}] ${message}${detail}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
