import type { ChatMessage } from './chat/chat-room.js';
import type { RoomErrorCode } from './errors.js';
import type { RouteMode } from './room/media-route.js';
import type { Participant } from './room/participant.js';
import type { Knocker } from './room/room-moderation.js';

/**
 * The element's state, as `state` and in `rtc-state`; `waiting`: at the door of a locked room
 * until a host lets this visitor in.
 */
export type RoomState = 'idle' | 'prejoin' | 'joining' | 'waiting' | 'joined' | 'left' | 'error';

export interface RtcJoinDetail {
  roomId: string;
  /** This visitor's peer ID in the room. */
  peerId: string;
}

export interface RtcLeaveDetail {
  roomId: string;
}

export interface RtcPeerDetail {
  participant: Participant;
}

export interface RtcSpeakerDetail {
  /** Who speaks now (a remote participant), or null when they left. */
  participant: Participant | null;
}

export interface RtcStateDetail {
  state: RoomState;
}

export interface RtcMessageDetail {
  /** The message (text or picture), own or another's, live or from the history a late joiner gets. */
  message: ChatMessage;
}

export interface RtcErrorDetail {
  /** A stable code to switch on, e.g. `permission-denied`, `room-full`, `server-unreachable`. */
  code: RoomErrorCode;
  /** A sentence for developers (the UI shows its own, localized, text). */
  message: string;
}

export interface RtcTokenExpiredDetail {
  roomId: string;
}

export interface RtcRoomLockDetail {
  /** Whether the room is locked now: newcomers wait at the door. */
  locked: boolean;
}

export interface RtcKnockDetail {
  /** Who knocked at the door of the locked room (told to hosts only). */
  knocker: Knocker;
}

export interface RtcReactionDetail {
  /** Who reacted (this visitor too). */
  participant: Participant;
  /** One of `REACTIONS`. */
  emoji: string;
}

export interface RtcModeDetail {
  /** `sfu`: media goes through the media server (a large room); `mesh`: peer to peer. */
  mode: RouteMode;
}

/** Every event `<rtc-room>` dispatches; all bubble and cross shadow roots. */
export interface RtcRoomEventMap {
  'rtc-join': CustomEvent<RtcJoinDetail>;
  'rtc-leave': CustomEvent<RtcLeaveDetail>;
  'rtc-peer-join': CustomEvent<RtcPeerDetail>;
  'rtc-peer-leave': CustomEvent<RtcPeerDetail>;
  'rtc-state': CustomEvent<RtcStateDetail>;
  'rtc-error': CustomEvent<RtcErrorDetail>;
  'rtc-message': CustomEvent<RtcMessageDetail>;
  'rtc-speaker': CustomEvent<RtcSpeakerDetail>;
  /** The server refused the join token as expired: set a fresh `token`; the call goes on. */
  'rtc-token-expired': CustomEvent<RtcTokenExpiredDetail>;
  'rtc-room-lock': CustomEvent<RtcRoomLockDetail>;
  'rtc-knock': CustomEvent<RtcKnockDetail>;
  'rtc-reaction': CustomEvent<RtcReactionDetail>;
  'rtc-mode': CustomEvent<RtcModeDetail>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends RtcRoomEventMap {}
}

/** The detail of one of the element's events. */
export type DetailOf<K extends keyof RtcRoomEventMap> =
  RtcRoomEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Dispatches one of the element's events: the only way they are sent. */
export function emit<K extends keyof RtcRoomEventMap>(
  target: EventTarget,
  type: K,
  detail: DetailOf<K>,
): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
