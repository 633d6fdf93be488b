import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** An element whose shadow root holds the chat pane and the chat button. */
export type ChatPaneHost = ReactiveControllerHost & { readonly renderRoot: ParentNode };

export interface ChatPaneOptions {
  /** Marks the chat read; called after each render while the pane is open (an open pane is read). */
  markRead: () => void;
}

/**
 * Whether the chat pane is open. The panel is a chunk of its own, loaded the first time the chat
 * opens: the chat itself (messages, unread count, announcements) works without it.
 */
export class ChatPaneController implements ReactiveController {
  isOpen = false;

  constructor(
    private readonly host: ChatPaneHost,
    private readonly options: ChatPaneOptions,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    if (this.isOpen) this.options.markRead();
  }

  async toggle(): Promise<void> {
    if (!this.isOpen) await import('../ui/chat-panel.js');
    this.isOpen = !this.isOpen;
    this.host.requestUpdate();
  }

  /** Closes the pane and gives the focus back to the chat button. */
  async close(): Promise<void> {
    this.isOpen = false;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('[data-action="chat"]')?.focus();
  }
}
