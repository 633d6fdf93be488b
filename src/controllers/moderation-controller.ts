import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { RoomError } from '../errors.js';
import { emit } from '../events.js';
import { loadErrorStrings } from '../i18n/strings.js';
import type { Participant } from '../room/participant.js';
import type { RoomModeration } from '../room/room-moderation.js';
import type { RoomCommand } from '../room/room-protocol.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { loadDoorView, loadHostView, type DoorView, type HostView } from './room-chunks.js';

/** How long a reaction shows over its sender's tile. */
export const REACTION_SHOWN_MS = 4_000;

export interface ModerationOptions {
  /** The session's moderation while in the room, else null. */
  moderation: () => RoomModeration | null;
  participants: () => readonly Participant[];
  /** Tells screen readers that someone (by name) raised a hand. */
  announceHand: (name: string) => void;
  clock?: Clock;
}

/**
 * The element's side of the room's moderation: commands from its methods and buttons, the
 * server's notices as DOM events (`rtc-room-lock`, `rtc-knock`, `rtc-reaction`), and what the
 * view shows for a while: reactions over tiles, who turned this visitor's microphone off.
 */
export class ModerationController implements ReactiveController {
  /** The reaction over each sender's tile now, by peer ID. */
  readonly reactions = new Map<string, string>();
  /** The name of the host who turned this visitor's microphone off, until dismissed. */
  mutedBy: string | null = null;
  /** The host's controls, loaded once this visitor is a host. */
  hostView: HostView | null = null;
  /** The door's panels, loaded once this visitor waits at a door or was removed. */
  doorView: DoorView | null = null;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly clock: Clock;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: unknown },
    private readonly options: ModerationOptions,
  ) {
    host.addController(this);
    this.clock = options.clock ?? systemClock;
  }

  hostConnected(): void {
    this.host.addEventListener('rtc-error', this.handleError);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('rtc-error', this.handleError);
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
    this.reactions.clear();
  }

  /** Follows a session's moderation from its join on. */
  watch(moderation: RoomModeration): void {
    const host = this.host;
    this.mutedBy = null;
    moderation.on('lock', (locked) => emit(host, 'rtc-room-lock', { locked }));
    moderation.on('knock', (knocker) => emit(host, 'rtc-knock', { knocker }));
    moderation.on('reaction', ({ id, emoji }) => {
      const participant = this.participant(id);
      if (!participant) return;
      this.show(id, emoji);
      emit(host, 'rtc-reaction', { participant, emoji });
    });
    moderation.on('hand', ({ id, raised }) => {
      const participant = this.participant(id);
      if (raised && participant) this.options.announceHand(participant.name);
    });
    // A failed load is tried again at the next change.
    moderation.on('change', () => {
      if (!moderation.isHost || this.hostView) return;
      loadHostView(host.renderRoot as ShadowRoot).then(
        (view) => {
          this.hostView = view;
          host.requestUpdate();
        },
        () => undefined,
      );
    });
    moderation.on('waiting', () => this.loadDoor());
    // The notice's words load with the error texts: it shows once they are in.
    moderation.on('muted', (by) => {
      const name = this.participant(by)?.name ?? '';
      void Promise.resolve(loadErrorStrings()).then(() => {
        this.mutedBy = name;
        host.requestUpdate();
      });
    });
  }

  /**
   * Sends a command to the server. Rejects with a RoomError: `not-host` for a host's command
   * from a guest; `signalling-lost` while the server cannot be reached.
   */
  async command(command: RoomCommand): Promise<void> {
    const moderation = this.options.moderation();
    if (!moderation) throw new RoomError('internal', 'Join the room first');
    moderation.command(command);
  }

  /** The visitor read who turned the microphone off. */
  dismissMuted(): void {
    this.mutedBy = null;
    this.host.requestUpdate();
  }

  private handleError = (event: HTMLElementEventMap['rtc-error']): void => {
    if (event.detail.code === 'removed') this.loadDoor();
  };

  private loadDoor(): void {
    if (this.doorView) return;
    // The removed panel says why in words of the error table's.
    Promise.all([loadDoorView(), loadErrorStrings()]).then(
      ([view]) => {
        this.doorView = view;
        this.host.requestUpdate();
      },
      () => undefined,
    );
  }

  private participant(id: string): Participant | undefined {
    return this.options.participants().find((participant) => participant.id === id);
  }

  private show(id: string, emoji: string): void {
    this.clock.clearTimeout(this.timers.get(id));
    this.reactions.set(id, emoji);
    this.timers.set(
      id,
      this.clock.setTimeout(() => {
        this.reactions.delete(id);
        this.timers.delete(id);
        this.host.requestUpdate();
      }, REACTION_SHOWN_MS),
    );
    this.host.requestUpdate();
  }
}
