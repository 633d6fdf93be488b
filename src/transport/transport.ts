import type { RoomError } from '../errors.js';
import type { VideoEncoding } from '../media/encoding-policy.js';
import type { ReconnectPolicy } from '../room/reconnect-policy.js';
import type { RoomCommand, RoomNotice } from '../room/room-protocol.js';
import type { Emitter } from '../util/emitter.js';

/** Where the signalling server is and how peer connections are configured. */
export interface TransportOptions {
  /** This participant's peer ID (`<roomId>_<suffix>`). */
  id: string;
  /** The signalling server's origin, e.g. `https://rtc.example.com`. */
  server: URL;
  /** PeerServer mount path on that origin, e.g. `/peerjs`. */
  path: string;
  /** PeerServer key. */
  key: string;
  iceServers: RTCIceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
  /**
   * The PeerServer token, read at every (re)registration: a random client secret that the server
   * binds the peer ID to, then `.` and the join token when there is one (the page may renew it).
   */
  token?: () => string;
  /** When to retry the signalling server after losing it (default `JitteredBackOff`). */
  reconnectPolicy?: ReconnectPolicy;
}

export interface PeerTransportEvents {
  /** A remote peer dialled us; the session accepts or closes the link. */
  incoming: PeerLink;
  /** The signalling server dropped us (existing peer connections live on); once per outage. */
  disconnected: RoomError;
  /** A fatal signalling error after `open()` resolved. */
  error: RoomError;
  /** Signalling is back after a drop; once per outage. */
  reconnected: void;
  /**
   * Our socket stopped reaching the server (the visitor moved to another network, say) and
   * signalling was registered afresh: links made before may be dead without knowing it yet.
   */
  'network-changed': void;
  /** A notice about the room from our server (a `ROOM` frame, validated); also while waiting. */
  notice: RoomNotice;
}

/** Signalling plus peer connections: the only thing the session knows about PeerJS. */
export interface PeerTransport extends Emitter<PeerTransportEvents> {
  readonly id: string;
  /** Whether the signalling server is lost now: from `disconnected` until `reconnected`. */
  readonly isSignallingLost: boolean;
  /**
   * Registers with the signalling server; resolves with the room's peers as the server listed
   * them at registration (this one included), or null when it did not. Rejects with a RoomError.
   */
  open(): Promise<readonly string[] | null>;
  /**
   * Whether a relay-only attempt could reach a peer that a full ICE attempt did not: TURN servers
   * are configured and links are not relay-only already.
   */
  readonly canRelay: boolean;
  /** Dials a remote peer, sending `stream`; its media and data channel come as link events. */
  dial(remoteId: string, stream: MediaStream, options?: DialOptions): PeerLink;
  /**
   * Retries the signalling server now if it was lost and a retry is waiting (a peer got back to
   * it, so it is likely up); ignored otherwise, and at most twice a second.
   */
  retrySignalling(): void;
  /**
   * Asks the signalling server for an answer now (a peer went quiet: our network may have
   * changed under us); without one soon, registers afresh and reports `network-changed`.
   * Ignored while signalling is lost or a check is under way.
   */
  checkSignalling(): void;
  /** Sends a command about the room to the server itself (never to a peer); false if it cannot. */
  sendToServer(command: RoomCommand): boolean;
  /** New ICE servers (renewed TURN credentials) for new links and later ICE restarts. */
  setIceServers(iceServers: RTCIceServer[]): void;
  /** Closes every link and the signalling connection. */
  destroy(): void;
}

/** How one link is dialled. */
export interface DialOptions {
  /** Gather TURN relay candidates only (a retry after a full ICE attempt found no path). */
  relayOnly?: boolean;
  /** Tells the peer this replaces the link it holds to us (see `PeerLink.isReplacement`). */
  replaces?: boolean;
}

export interface PeerLinkEvents {
  /** The data channel is open and `send` works. */
  open: void;
  /** A message from the peer, unvalidated. */
  message: unknown;
  /** The peer's media stream arrived (may repeat with the same stream). */
  stream: MediaStream;
  /** The peer connection's state changed (`failed` also when no ICE candidate could be gathered). */
  state: RTCPeerConnectionState;
  /** The peer started sharing its screen (the stream) or stopped (null). */
  screen: MediaStream | null;
  /** The link is gone, from either side. Fires once. */
  close: void;
}

/** One remote peer as the transport sees it: a call, and a data channel on its connection. */
export interface PeerLink extends Emitter<PeerLinkEvents> {
  readonly remoteId: string;
  /** Whether we dialled (true) or were dialled (false). */
  readonly isOutgoing: boolean;
  /**
   * Whether the caller said this replaces the link it had to us: its network changed, so that
   * link is dead, even where our own dial would otherwise win.
   */
  readonly isReplacement: boolean;
  /** For an incoming link: answer its call with `stream`. */
  accept(stream: MediaStream): void;
  /**
   * Resolves once our offer (dialled) or answer (accepted) has gone to the signalling server with
   * the first burst of ICE candidates after it, or the link closed: until then, work on the page
   * holds the negotiation up.
   */
  readonly described: Promise<void>;
  /** Sends a text or binary message on the data channel; false when it is not open. */
  send(data: string | ArrayBuffer): boolean;
  /** Bytes queued on the data channel and not yet sent, for back-pressure. */
  readonly bufferedAmount: number;
  /** Replaces what we send of one kind on this link (a track, or null for nothing). */
  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void>;
  /**
   * Caps what we send of our video on this link; false when there is no negotiated video sender
   * yet (try again later).
   */
  setVideoEncoding(encoding: VideoEncoding): Promise<boolean>;
  /** Sends our shared screen as a call of its own (null: stop sending it). */
  shareScreen(stream: MediaStream | null): void;
  /** The media peer connection's statistics, or null before it exists. */
  getStats(): Promise<RTCStatsReport | null>;
  /** How loud the peer is right now (0 to 1, from the last audio packets), or null without audio. */
  audioLevel(): number | null;
  /** Applies new ICE servers to this link's peer connection. */
  setIceServers(iceServers: RTCIceServer[]): void;
  close(): void;
}

/** Makes a transport; may load it first (PeerJS is loaded only when a visitor joins). */
export type TransportFactory = (
  options: TransportOptions,
) => PeerTransport | Promise<PeerTransport>;
