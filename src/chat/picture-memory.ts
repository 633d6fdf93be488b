// The picture bytes a room holds: its own pictures and those received in full, each with an
// object URL the page shows. Held bytes stay under a budget: past it, the oldest are let go.
import type { Entry } from './chat-types.js';

export class PictureMemory {
  private held = 0;

  constructor(private readonly budgetBytes: number) {}

  /** Bytes held now. */
  get heldBytes(): number {
    return this.held;
  }

  /** Takes a picture's bytes into an entry; returns the object URL to show. */
  hold(entry: Entry, blob: Blob): string {
    if (entry.blob) this.held -= entry.blob.size;
    entry.blob = blob;
    this.held += blob.size;
    return URL.createObjectURL(blob);
  }

  /**
   * Lets go of the oldest pictures (in `entries` order) while more than the budget is held;
   * `letGo` is told of each so it can show the picture as unavailable.
   */
  keepBudget(entries: readonly Entry[], letGo: (entry: Entry) => void): void {
    for (const entry of entries) {
      if (this.held <= this.budgetBytes) return;
      if (!entry.blob) continue;
      this.forget(entry);
      letGo(entry);
    }
  }

  /** Frees an entry's bytes and URL (the entry left the log, or its picture was let go). */
  forget(entry: Entry): void {
    const url = (entry.message.picture ?? entry.message.file)?.url;
    if (url) URL.revokeObjectURL(url);
    if (entry.blob) this.held -= entry.blob.size;
    entry.blob = null;
    entry.awaitingFrom = null;
  }
}
