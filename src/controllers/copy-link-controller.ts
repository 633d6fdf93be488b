import type { ReactiveControllerHost } from 'lit';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';

/** How long the Copy button says the link was copied. */
export const COPIED_FOR_MS = 2000;

/** The invite link's Copy button: copies the link and has the host say so for a moment. */
export class CopyLinkController {
  /** The link just copied (the invite link or the host link), or null. */
  copiedUrl: string | null = null;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly clock: Clock = systemClock,
  ) {}

  async copy(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      return; // Clipboard refused (no permission): the link stays visible to copy by hand.
    }
    this.copiedUrl = url;
    this.host.requestUpdate();
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.copiedUrl = null;
      this.host.requestUpdate();
    }, COPIED_FOR_MS);
  }
}
