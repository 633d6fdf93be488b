import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Size } from '../ui/tile-layout.js';

/**
 * Tracks the content size and column gap of one element of the host's shadow root (found by
 * `selector` after each render) and re-renders the host when they change, so layout maths can
 * use them.
 */
export class ElementSizeController implements ReactiveController {
  /** The element's content box; zero until it has been measured. */
  size: Size = { width: 0, height: 0 };
  /**
   * Its `column-gap` in pixels (a CSS length a site owner may set in any unit), read with its
   * size: reading it while rendering would make the browser work out the page's styles twice.
   */
  gap = 0;
  private observed: Element | null = null;
  private readonly observer = new ResizeObserver((entries) => {
    const entry = entries.at(-1);
    if (!entry) return;
    const box = entry.contentRect;
    const gap = parseFloat(getComputedStyle(entry.target).columnGap) || 0;
    if (box.width === this.size.width && box.height === this.size.height && gap === this.gap) {
      return;
    }
    this.size = { width: box.width, height: box.height };
    this.gap = gap;
    this.host.requestUpdate();
  });

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly selector: string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Back in the page after a move: observe again what was observed before.
    this.hostUpdated();
  }

  hostUpdated(): void {
    const element = this.host.shadowRoot?.querySelector(this.selector) ?? null;
    if (element === this.observed) return;
    if (this.observed) this.observer.unobserve(this.observed);
    this.observed = element;
    if (element) this.observer.observe(element);
    else {
      this.size = { width: 0, height: 0 };
      this.gap = 0;
    }
  }

  hostDisconnected(): void {
    this.observer.disconnect();
    this.observed = null;
  }
}
