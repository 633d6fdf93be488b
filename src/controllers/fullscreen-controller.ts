import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** An element whose shadow root holds the tiles. */
export type FullscreenHost = ReactiveControllerHost &
  HTMLElement & { readonly renderRoot: ParentNode };

/**
 * Full screen for the room and for one tile: follows the document's `fullscreenchange`, so the
 * host knows whether it fills the screen, however the visitor got there or out.
 */
export class FullscreenController implements ReactiveController {
  /** Whether the host itself (not one of its tiles) fills the screen. */
  isFullscreen = false;

  constructor(private readonly host: FullscreenHost) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('fullscreenchange', this.handleFullscreenChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('fullscreenchange', this.handleFullscreenChange);
  }

  /** The whole room into full screen, or anything in full screen out of it. */
  toggle(): void {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else this.host.requestFullscreen().catch(() => undefined);
  }

  /** One tile (by its `data-peer-id`) into full screen. */
  showTile(id: string): void {
    const tile = this.host.renderRoot.querySelector(`[data-peer-id="${CSS.escape(id)}"]`);
    tile?.requestFullscreen().catch(() => undefined);
  }

  private handleFullscreenChange = (): void => {
    const isFullscreen = document.fullscreenElement === this.host;
    if (isFullscreen === this.isFullscreen) return;
    this.isFullscreen = isFullscreen;
    this.host.requestUpdate();
  };
}
