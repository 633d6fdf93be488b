import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** An element whose shadow root holds the participants' videos. */
export type PlaybackHost = ReactiveControllerHost & { readonly renderRoot: ParentNode };

/** Whether this browser lets a page choose where a media element's sound goes. */
export function canPickSpeaker(): boolean {
  return 'setSinkId' in HTMLMediaElement.prototype;
}

/**
 * The sound of the room after each render: every video plays (a browser may refuse sound before
 * the visitor touched the page, which `needsSoundUnlock` tells, until `unlockSound()`), through
 * the speaker the visitor picked.
 */
export class PlaybackController implements ReactiveController {
  /** Sound was refused for want of a touch on the page: offer a button that calls `unlockSound()`. */
  needsSoundUnlock = false;
  /** The speaker the visitor picked for everyone's sound ('' for the system's). */
  speakerId = '';

  constructor(private readonly host: PlaybackHost) {
    host.addController(this);
  }

  hostUpdated(): void {
    this.applySpeaker();
    this.playRemoteMedia();
  }

  /** Sends every participant's sound to another speaker (where `canPickSpeaker()`). */
  chooseSpeaker(deviceId: string): void {
    this.speakerId = deviceId;
    this.host.requestUpdate();
  }

  /** Plays what was refused: called from the visitor's click, which lets it play. */
  unlockSound(): void {
    this.needsSoundUnlock = false;
    this.host.requestUpdate();
    this.playRemoteMedia();
  }

  private applySpeaker(): void {
    if (!canPickSpeaker()) return;
    for (const video of this.host.renderRoot.querySelectorAll('video')) {
      if (video.sinkId !== this.speakerId) video.setSinkId(this.speakerId).catch(() => undefined);
    }
  }

  private playRemoteMedia(): void {
    for (const video of this.host.renderRoot.querySelectorAll('video')) {
      if (!video.paused || !video.srcObject) continue;
      video.play().catch((error: unknown) => {
        const isRefused = error instanceof DOMException && error.name === 'NotAllowedError';
        if (isRefused && !this.needsSoundUnlock) {
          this.needsSoundUnlock = true;
          this.host.requestUpdate();
        }
      });
    }
  }
}
