import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Size } from '../ui/tile-layout.js';

/**
 * Tracks the content size of one element of the host's shadow root (found by `selector` after
 * each render) and re-renders the host when it changes, so layout maths can use it.
 */
export class ElementSizeController implements ReactiveController {
  /** The element's content box; zero until it has been measured. */
  size: Size = { width: 0, height: 0 };
  private observed: Element | null = null;
  private readonly observer = new ResizeObserver((entries) => {
    const box = entries.at(-1)?.contentRect;
    if (!box) return;
    if (box.width === this.size.width && box.height === this.size.height) return;
    this.size = { width: box.width, height: box.height };
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
    else this.size = { width: 0, height: 0 };
  }

  hostDisconnected(): void {
    this.observer.disconnect();
    this.observed = null;
  }
}
