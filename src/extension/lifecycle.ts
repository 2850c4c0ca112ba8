import * as vscode from 'vscode';

/**
 * A long-lived object that owns its children: everything passed to `_register` is disposed with
 * it, in reverse order. Disposing twice is harmless, and registering after disposal disposes at once.
 */
export abstract class DisposableObject implements vscode.Disposable {
  private readonly children: vscode.Disposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected _register<T extends vscode.Disposable>(child: T): T {
    if (this.disposed) {
      child.dispose();
    } else {
      this.children.push(child);
    }
    return child;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    for (const child of this.children.splice(0).reverse()) {
      child.dispose();
    }
  }
}
