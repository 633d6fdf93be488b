import { html, type ReactiveController, type TemplateResult } from 'lit';
import { emit } from '../events.js';
import { hostKeyFor, hostLink, inviteLink } from '../room-links.js';
import type { Strings } from '../i18n/strings.js';
import type { RtcRoom } from '../rtc-room.js';
import type { JoinedRoomView } from '../ui/joined-room.js';
import { ActiveSpeakerController } from './active-speaker-controller.js';
import { Announcer } from './announcer.js';
import { ChatPaneController } from './chat-pane-controller.js';
import { CopyLinkController } from './copy-link-controller.js';
import { ElementSizeController } from './element-size-controller.js';
import { FullscreenController } from './fullscreen-controller.js';
import { MicLevelController } from './mic-level-controller.js';
import { ModerationController } from './moderation-controller.js';
import { PlaybackController } from './playback-controller.js';
import { loadCallAndView, loadLobby, type RoomView } from './room-chunks.js';
import type { LobbyController } from './lobby-controller.js';
import type { CallModule, RoomController } from './room-controller.js';

/**
 * The controllers the joined room's view needs (stage size, active speaker, announcements,
 * playback, full screen, the chat pane, the invite link's Copy button, moderation, the pinned
 * tile), and the view they make together: the element holds this one object and stays a view.
 */
export class RoomViewParts implements ReactiveController {
  private readonly stageSize: ElementSizeController;
  private readonly activeSpeaker: ActiveSpeakerController;
  private readonly announcer: Announcer;
  private readonly playback: PlaybackController;
  private readonly fullscreen: FullscreenController;
  private readonly chatPane: ChatPaneController;
  private readonly copyLink: CopyLinkController;
  readonly moderation: ModerationController;
  /** The participant the visitor pinned to the large slot, if still present. */
  private pinnedId: string | null = null;
  /** The joined room's view, a chunk that arrives with the call. */
  private roomView: RoomView | null = null;
  /** The lobby, a chunk loaded when the element first shows it. */
  private lobby: LobbyController | null = null;

  constructor(
    private readonly host: RtcRoom,
    private readonly room: RoomController,
    strings: () => Strings,
    /** The query parameter an invite link carries the room ID in. */
    private readonly queryParameter: string,
    /** Where the script came from (the default server). */
    private readonly scriptUrl: string,
  ) {
    this.stageSize = new ElementSizeController(host, '.stage');
    this.activeSpeaker = new ActiveSpeakerController(host, {
      levels: () => room.audioLevels(),
      participants: () => host.participants,
      onChange: (participant) => emit(host, 'rtc-speaker', { participant }),
    });
    this.announcer = new Announcer(host, {
      strings,
      announcesMessages: () => !this.chatPane.isOpen || host.noChat,
    });
    this.playback = new PlaybackController(host);
    this.fullscreen = new FullscreenController(host);
    this.chatPane = new ChatPaneController(host, {
      markRead: () => {
        if (!host.noChat && room.chat?.unread) room.chat.markRead();
      },
    });
    this.copyLink = new CopyLinkController(host);
    // Moves the prejoin's microphone meter; it needs nothing else.
    new MicLevelController(
      host,
      () => (host.state === 'prejoin' ? room.devices.microphoneTrack : null),
      '[part~="level"]',
    );
    host.addController(this);
    this.moderation = new ModerationController(host, {
      moderation: () => room.moderation,
      participants: () => host.participants,
      announceHand: (name) => this.announcer.announce(strings().announce.hand(name)),
    });
  }

  hostUpdated(): void {
    if (this.host.state === 'joined') this.activeSpeaker.start();
    else this.activeSpeaker.stop();
  }

  /**
   * The call and the joined room's view, fetched on prejoin or join with PeerJS alongside: a
   * join from the prejoin waits for none of them.
   */
  async loadCall(): Promise<CallModule> {
    this.host.loadTransport().catch(() => undefined);
    const [call, view] = await loadCallAndView(this.host.renderRoot as ShadowRoot);
    this.roomView = view;
    return call;
  }

  /** The lobby ("create a room or join one by ID"), once its chunk has loaded. */
  renderLobby(strings: Strings): TemplateResult {
    if (!this.lobby) {
      loadLobby().then(
        ({ LobbyController }) => {
          this.lobby ??= new LobbyController(this.host, this.queryParameter, this.scriptUrl);
          this.host.requestUpdate();
        },
        () => undefined,
      );
    }
    return this.lobby?.render(strings) ?? html``;
  }

  /** The prejoin's camera preview and device pickers, once the call has loaded. */
  renderPrejoinDevices(strings: Strings): TemplateResult | null {
    const { devices } = this.room;
    return (
      this.roomView?.renderPrejoinDevices(
        { strings, devices, playback: this.playback },
        this.host,
      ) ?? null
    );
  }

  /** The joined room (a session is only joined once the call and its view have loaded). */
  renderJoined(strings: Strings): TemplateResult {
    return this.roomView?.renderJoinedRoom(this.view(strings)) ?? html``;
  }

  /** The door's panels: waiting at a locked room, or removed from it. */
  renderDoor(strings: Strings): TemplateResult {
    const door = this.moderation.doorView;
    if (!door) return html``;
    return this.host.state === 'waiting'
      ? door.renderWaiting({ strings, name: this.host.name, onLeave: () => this.host.leave() })
      : door.renderRemoved({ strings });
  }

  private handleTogglePin = (id: string): void => {
    this.pinnedId = this.pinnedId === id ? null : id;
    this.host.requestUpdate();
  };

  private view(strings: Strings): JoinedRoomView {
    const { host, room, stageSize } = this;
    const hostKey = room.moderation?.isHost ? hostKeyFor(host.roomId) : null;
    const shareUrl = inviteLink(host.roomId, this.queryParameter);
    return {
      strings,
      element: host,
      room,
      playback: this.playback,
      fullscreen: this.fullscreen,
      chatPane: this.chatPane,
      copyLink: this.copyLink,
      moderation: this.moderation,
      shareUrl,
      hostLink: hostKey ? hostLink(shareUrl, hostKey) : null,
      stage: {
        layout: host.layout,
        pinnedId: this.pinnedId,
        speakerId: this.activeSpeaker.speakerId,
        size: stageSize.size,
        gap: stageSize.gap,
      },
      onTogglePin: this.handleTogglePin,
      announcement: this.announcer.text,
    };
  }
}
