import type { ReactiveControllerHost } from 'lit';

/** How long the Copy button says the link was copied. */
export const COPIED_FOR_MS = 2000;

/** The invite link's Copy button: copies the link and has the host say so for a moment. */
export class CopyLinkController {
  /** Whether the link was just copied. */
  isCopied = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {}

  async copy(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      return; // Clipboard refused (no permission): the link stays visible to copy by hand.
    }
    this.isCopied = true;
    this.host.requestUpdate();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.isCopied = false;
      this.host.requestUpdate();
    }, COPIED_FOR_MS);
  }
}
