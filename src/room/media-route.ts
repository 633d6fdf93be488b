import type { RoomError } from '../errors.js';
import type { ChatBoundFrame } from '../protocol/frame.js';
import type { Emitter } from '../util/emitter.js';
import type { PeerFacts } from './participant.js';
import type { GoneReason } from './remote-peer.js';
import type { SfuTicket } from './room-protocol.js';

/** One remote participant as a route reaches it (`RemotePeer` in the mesh). */
export interface RoutePeer {
  readonly id: string;
  /** Whether it introduced itself (its hello came). */
  readonly isReady: boolean;
  /** Whether it has a tile: introduced, or its stream is there. */
  readonly isShown: boolean;
  /** Whether it is heard now: chat goes to it. */
  readonly isReachable: boolean;
  toParticipant(): PeerFacts;
}

export interface MediaRouteEvents {
  /** A peer said hello on a fresh path: its first, or one that replaced another. */
  ready: RoutePeer;
  /** A peer's stream, name, media or connection changed. */
  update: RoutePeer;
  /** A peer's link was replaced by a fresh one: what rode on the old one ends; hello follows. */
  replaced: RoutePeer;
  /** A frame for the chat from a peer, decoded. */
  message: { peerId: string; frame: ChatBoundFrame };
  /** A peer is gone: it said goodbye, or its path failed or closed. */
  gone: { peer: RoutePeer; reason: GoneReason };
  /** Every attempt to reach a peer failed: it is in `unreachable` until it leaves the room. */
  unreachable: { peerId: string; attempts: number };
  /** `unreachable` lists fewer peers: one left the room, or was reached after all. */
  forgotten: void;
  /** Something went wrong that the page should hear of; the route goes on. */
  error: RoomError;
  /** Media goes another way now: through the SFU, or peer to peer. */
  mode: RouteMode;
}

/** The server's word on the room's SFU: a ticket (new, or renewed), or Janus went away. */
export type SfuNotice = { event: 'sfu'; ticket: SfuTicket } | { event: 'sfu-lost' };

/** How media reaches the others: `mesh`, peer to peer, or `sfu`, through Janus. */
export type RouteMode = 'mesh' | 'sfu';

/** A tile on the stage as the view placed it (the stage's `PlacedTile`): what, and how large. */
export interface ShownTile {
  tile: { kind: string; id: string };
  /** Its size in CSS pixels. */
  rect: { width: number; height: number };
}

/**
 * How a visit's media and data reach the other participants (today the PeerJS mesh, one link
 * per pair). The session keeps the visit (state, membership, names, chat, local media) and
 * talks to the peers only through this.
 */
export interface MediaRoute extends Emitter<MediaRouteEvents> {
  /** How media goes now; absent: `mesh`. */
  readonly mode?: RouteMode;
  /** The peers reached or being reached now, in the order they came. */
  readonly peers: readonly RoutePeer[];
  /** The peers given up on, by ID. */
  readonly unreachable: readonly string[];
  /** Reaches the peers the server listed as we joined, and from then on keeps the room whole. */
  start(listed: readonly string[]): void;
  /** Sends a frame to one peer; false when it cannot be sent now. */
  send(peerId: string, data: string | ArrayBuffer): boolean;
  /** Bytes queued for one peer and not yet sent, for back-pressure. */
  bufferedAmount(peerId: string): number;
  /** Tells every peer our name and media state again (they changed). */
  sendHello(): void;
  /** Sends one kind of our media from now on (a track, or null for nothing). */
  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): void;
  /** Sends our shared screen to every peer (null: stop). */
  shareScreen(screen: MediaStream | null): void;
  /** How loud each introduced peer is right now (0 to 1), by peer ID. */
  audioLevels(): Map<string, number>;
  /** Connection statistics of the path to one peer, or null. */
  getStats(peerId: string): Promise<RTCStatsReport | null>;
  /** The server removed a peer: its path closes now, and it is never reached again. */
  bar(peerId: string): void;
  /** Resolves once the offers and answers being made are out (see `RoomSession`); else null. */
  whenDescribed(): Promise<void> | null;
  /** The server's word on the room's SFU (the route through Janus only). */
  take?(notice: SfuNotice): void;
  /**
   * The tiles placed on the stage now, and the stage's root once rendered, so that each peer's
   * video comes at the size its tile needs, and not at all while its tile cannot be seen (the
   * SFU only).
   */
  showTiles?(tiles: readonly ShownTile[], stage?: ParentNode): void;
  /** Ends every path, with a goodbye to each peer when leaving on purpose; silent from then on. */
  close(sayGoodbye: boolean): void;
}
