/**
 * A cheaper stand-in for AbortSignal on the hot path (AbortController + EventTarget
 * cost measurable CPU per call): the HTTP layer cancels it when the client goes
 * away or sends notifications/cancelled; the upstream peer listens.
 */
export class Cancellation {
  reason: string | undefined;
  private listeners: Array<(reason: string) => void> | undefined;

  get cancelled(): boolean {
    return this.reason !== undefined;
  }

  /** Registers a listener; returns its remover. */
  onCancel(listener: (reason: string) => void): () => void {
    if (this.listeners) this.listeners.push(listener);
    else this.listeners = [listener];
    return () => this.off(listener);
  }

  /** Removes a listener (without the remover closure `onCancel` returns, for the per-call path). */
  off(listener: (reason: string) => void): void {
    const list = this.listeners;
    if (!list) return;
    const index = list.indexOf(listener);
    if (index !== -1) list.splice(index, 1);
  }

  cancel(reason: string): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    const list = this.listeners;
    this.listeners = undefined;
    if (list) for (const listener of list) listener(reason);
  }
}
