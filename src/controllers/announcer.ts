import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Strings } from '../i18n/strings.js';

export interface AnnouncerOptions {
  strings: () => Strings;
  /** Whether a new message is news here (the open chat's log announces its own). */
  announcesMessages: () => boolean;
}

/**
 * What a screen reader should hear next: joins, leaves and new messages, from the host's own
 * events, as the text of an `aria-live` region.
 */
export class Announcer implements ReactiveController {
  /** The latest announcement. */
  text = '';
  private isAlternate = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: AnnouncerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('rtc-peer-join', this.handlePeerJoin);
    this.host.addEventListener('rtc-peer-leave', this.handlePeerLeave);
    this.host.addEventListener('rtc-message', this.handleMessage);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('rtc-peer-join', this.handlePeerJoin);
    this.host.removeEventListener('rtc-peer-leave', this.handlePeerLeave);
    this.host.removeEventListener('rtc-message', this.handleMessage);
  }

  /** Has screen readers read `text` next. */
  announce(text: string): void {
    // A live region reads a change; the same sentence twice needs a difference nobody hears.
    this.isAlternate = !this.isAlternate;
    this.text = this.isAlternate ? `${text}\u00a0` : text;
    this.host.requestUpdate();
  }

  private nameOf(name: string): string {
    return name || this.options.strings().guest;
  }

  private handlePeerJoin = (event: HTMLElementEventMap['rtc-peer-join']): void => {
    this.announce(
      this.options.strings().announce.joined(this.nameOf(event.detail.participant.name)),
    );
  };

  private handlePeerLeave = (event: HTMLElementEventMap['rtc-peer-leave']): void => {
    this.announce(this.options.strings().announce.left(this.nameOf(event.detail.participant.name)));
  };

  private handleMessage = (event: HTMLElementEventMap['rtc-message']): void => {
    const { message } = event.detail;
    if (message.isOwn || message.isHistory || !this.options.announcesMessages()) return;
    this.announce(this.options.strings().announce.message(this.nameOf(message.senderName)));
  };
}
