/**
 * Which tiles the visitor can see, so that Janus sends no video for the others: a tile counts as
 * seen while any of it is inside the viewport (not scrolled away with the host page, not in a
 * stage that is hidden) and the page itself shows. Tiles are found by their `data-peer-id`, as
 * the stage renders them.
 */
export class TilesOnScreen {
  private readonly unseen = new Set<string>();
  private readonly watched = new Set<Element>();
  private readonly observer: IntersectionObserver;
  private readonly handleVisibility = () => this.onChange();
  private isClosed = false;

  /** `onChange` is called when a tile comes into sight or goes out of it, or the page does. */
  constructor(private readonly onChange: () => void) {
    this.observer = new IntersectionObserver((entries) => {
      for (const { target, isIntersecting } of entries) {
        const id = (target as HTMLElement).dataset.peerId ?? '';
        if (isIntersecting) this.unseen.delete(id);
        else this.unseen.add(id);
      }
      onChange();
    });
    document.addEventListener('visibilitychange', this.handleVisibility);
  }

  /** Whether the tile of `id` can be seen (until the first reading, it counts as seen). */
  isSeen(id: string): boolean {
    return !document.hidden && !this.unseen.has(id);
  }

  /** Watches the tiles `root` holds once the render now under way is in the page. */
  watch(root: ParentNode): void {
    queueMicrotask(() => {
      if (this.isClosed) return;
      for (const tile of this.watched) {
        if (tile.isConnected) continue;
        this.observer.unobserve(tile);
        this.watched.delete(tile);
      }
      for (const tile of root.querySelectorAll('[data-peer-id]')) {
        if (this.watched.has(tile)) continue;
        this.watched.add(tile);
        this.observer.observe(tile);
      }
    });
  }

  close(): void {
    this.isClosed = true;
    this.observer.disconnect();
    this.watched.clear();
    document.removeEventListener('visibilitychange', this.handleVisibility);
  }
}
