import { TokenExpiredError } from '../errors.js';
import type { LocalMedia } from '../media/local-media.js';
import type { HelloMessage } from '../protocol/messages.js';
import type { PeerLink, PeerTransport } from '../transport/transport.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import type { LivenessPolicy } from './liveness-policy.js';
import type { MediaRoute, MediaRouteEvents } from './media-route.js';
import { afterFailure, keepsOwnDial, peersToDial } from './membership.js';
import { RemotePeer, type GoneReason } from './remote-peer.js';
import { readSafetyCode } from './safety-code.js';

export interface MeshRouteOptions {
  /** Registered with the signalling server, or being registered. */
  transport: PeerTransport;
  /** Our peer ID. */
  selfId: string;
  /** What to tell each peer about us. */
  hello: () => HelloMessage;
  /** Our outgoing stream (every link sends it) and shared screen. */
  media: Pick<LocalMedia, 'outgoing' | 'screen'>;
  /** The room's peers as the server lists them now. */
  listRoom: () => Promise<readonly string[]>;
  /** How often the room is listed again to heal a missed pair (default 4 s). */
  recheckIntervalMs?: number;
  liveness?: LivenessPolicy;
  clock?: Clock;
}

/** Longest the page's re-renders wait for an offer or answer being made (see `whenDescribed`). */
export const DESCRIBE_HOLD_MS = 200;

const DEFAULT_RECHECK_MS = 4_000;

/** How often the network path to each peer is re-read for the connection details. */
const PATH_REFRESH_MS = 2_000;

/** What the mesh keeps of one remote peer, across its links. */
interface MeshPeer {
  /** The peer on its current link; null between attempts. */
  remote: RemotePeer | null;
  /** Failed attempts since it was last connected. */
  failures: number;
  /** Given up on (see `handleGone`). */
  isUnreachable: boolean;
  /** Whether it ever said hello on one of its links. */
  hasConnected: boolean;
  /** Whether links to it are dialled relay-only: a full ICE attempt found no path. */
  isRelayOnly: boolean;
  /** Whether the last re-check found it silent and no longer listed by the server. */
  wasUnlisted: boolean;
  /** It said goodbye: never dialled again. */
  hasLeft: boolean;
  /** The server removed it: never linked again, whatever it sends. */
  isRemoved?: boolean;
}

const NEW_PEER: MeshPeer = {
  remote: null,
  failures: 0,
  isUnreachable: false,
  hasLeft: false,
  hasConnected: false,
  isRelayOnly: false,
  wasUnlisted: false,
};

/**
 * The PeerJS mesh: one link per pair of participants. Whom to dial, which link a pair keeps
 * when both dial at once, a periodic re-check of the room that heals a missed pair, bounded
 * retries of a failed peer, and each link's video cap for the room's size.
 */
export class MeshRoute extends Emitter<MediaRouteEvents> implements MediaRoute {
  private readonly entries = new Map<string, MeshPeer>();
  /** Links whose offer or answer is still being made. */
  private readonly describing = new Set<PeerLink>();
  private readonly clock: Clock;
  private isJoined = false;
  private isClosed = false;
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private pathTimer: ReturnType<typeof setInterval> | undefined;

  /** Takes incoming links at once: peers may dial us before `start`. */
  constructor(private readonly options: MeshRouteOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    const { transport } = options;
    transport.on('incoming', (link) => this.handleIncoming(link));
    // Peers still waiting to retry try at once: the server is likely back for them too.
    transport.on('reconnected', () => {
      for (const peer of this.peers) peer.sendSignallingBack();
    });
    transport.on('network-changed', () => this.replaceLinks());
  }

  get peers(): RemotePeer[] {
    return [...this.entries.values()].flatMap((entry) => (entry.remote ? [entry.remote] : []));
  }

  get unreachable(): string[] {
    return [...this.entries].filter(([, entry]) => entry.isUnreachable).map(([id]) => id);
  }

  start(listed: readonly string[]): void {
    if (this.isClosed) return;
    this.dial(listed, true);
    this.isJoined = true;
    this.scheduleRecheck();
    this.pathTimer = setInterval(() => void this.refreshPaths(), PATH_REFRESH_MS);
  }

  send(peerId: string, data: string | ArrayBuffer): boolean {
    return this.readyPeer(peerId)?.link.send(data) ?? false;
  }

  bufferedAmount(peerId: string): number {
    return this.readyPeer(peerId)?.link.bufferedAmount ?? 0;
  }

  sendHello(): void {
    for (const peer of this.peers) peer.sendHello();
  }

  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    for (const peer of this.peers) void peer.link.replaceTrack(kind, track);
  }

  shareScreen(screen: MediaStream | null): void {
    for (const peer of this.peers) if (peer.isReady) peer.link.shareScreen(screen);
  }

  audioLevels(): Map<string, number> {
    const levels = new Map<string, number>();
    for (const peer of this.peers) {
      if (peer.isReady) levels.set(peer.id, peer.link.audioLevel() ?? 0);
    }
    return levels;
  }

  getStats(peerId: string): Promise<RTCStatsReport | null> {
    return this.entries.get(peerId)?.remote?.link.getStats() ?? Promise.resolve(null);
  }

  whenDescribed(): Promise<void> | null {
    if (this.describing.size === 0) return null;
    let timer: TimerHandle | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, DESCRIBE_HOLD_MS);
    });
    const described = Promise.all([...this.describing].map((link) => link.described));
    return Promise.race([described, cap]).then(() => this.clock.clearTimeout(timer));
  }

  close(sayGoodbye: boolean): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.isJoined = false;
    clearTimeout(this.recheckTimer);
    clearInterval(this.pathTimer);
    const peers = this.peers;
    // Cleared first: closing links while leaving is not news to anyone.
    this.entries.clear();
    this.removeAllListeners();
    for (const peer of peers) {
      if (sayGoodbye) peer.leave();
      else peer.close();
    }
  }

  bar(peerId: string): void {
    const entry = this.entries.get(peerId);
    if (entry) {
      entry.isRemoved = true;
      entry.remote?.close();
    } else {
      this.entries.set(peerId, { ...NEW_PEER, isRemoved: true });
    }
  }

  private readyPeer(peerId: string): RemotePeer | undefined {
    const peer = this.entries.get(peerId)?.remote;
    return peer?.isReady ? peer : undefined;
  }

  /** Calls those listed that we should (all of them while joining; see `peersToDial`). */
  private dial(listed: readonly string[], isJoining: boolean): void {
    const linked = new Set(this.peers.map((peer) => peer.id));
    const skipped = new Set(
      [...this.entries]
        .filter(([, e]) => e.hasLeft || e.isUnreachable || e.isRemoved)
        .map(([id]) => id),
    );
    const { selfId, transport, media } = this.options;
    for (const id of peersToDial(selfId, listed, linked, skipped, isJoining)) {
      this.adopt(
        transport.dial(id, media.outgoing, { relayOnly: this.entries.get(id)?.isRelayOnly }),
      );
    }
  }

  private handleIncoming(link: PeerLink): void {
    if (this.isClosed || this.entries.get(link.remoteId)?.isRemoved) {
      link.close();
      return;
    }
    // Both dialled at once (or the peer redialled): keep the link the smaller ID dialled.
    // An incoming link while we hold an incoming one means the peer lost its side: take it.
    // A replacement (the peer's network changed) is taken unless ours replaces one too.
    const existing = this.entries.get(link.remoteId)?.remote;
    const winsOver = !link.isReplacement || existing?.link.isReplacement;
    if (existing?.link.isOutgoing && winsOver && keepsOwnDial(this.options.selfId, link.remoteId)) {
      link.close();
      return;
    }
    link.accept(this.options.media.outgoing);
    this.adopt(link);
  }

  /**
   * Takes a link as the one to a peer. A link that replaces another (a redial from either side)
   * inherits its participant: same tile, no second `ready` for the page to announce.
   */
  private adopt(link: PeerLink): void {
    const { liveness, clock } = this.options;
    let entry = this.entries.get(link.remoteId);
    const previous = entry?.remote ?? undefined;
    if (!entry || !previous) {
      // A peer back after a gap comes last, as a newcomer would.
      entry ??= { ...NEW_PEER };
      this.entries.delete(link.remoteId);
      this.entries.set(link.remoteId, entry);
    }
    const peer = new RemotePeer(
      link,
      this.options.hello,
      (peerId, frame) => this.emit('message', { peerId, frame }),
      { liveness, clock, previous },
    );
    entry.remote = peer;
    this.describing.add(link);
    void link.described.then(() => {
      this.describing.delete(link);
      // Its video is capped for the room before it starts, not changed as it starts.
      this.adaptEncodings();
    });
    if (previous) {
      this.emit('replaced', previous);
      previous.close();
    }
    this.watch(peer, entry);
  }

  private watch(peer: RemotePeer, entry: MeshPeer): void {
    peer.on('reconnecting', () => {
      this.redial(peer);
      // Whether it is still at the server tells a closed page from a network hiccup.
      this.scheduleRecheck(0);
    });
    peer.on('signalling-back', () => this.options.transport.retrySignalling());
    peer.on('quiet', () => this.options.transport.checkSignalling());
    peer.on('ready', () => {
      this.adaptEncodings();
      // Someone arriving while the screen is shared gets it too.
      const screen = this.options.media.screen;
      if (screen) peer.link.shareScreen(screen);
      entry.failures = 0;
      entry.hasConnected = true;
      if (entry.isUnreachable) {
        entry.isUnreachable = false;
        this.emit('forgotten', undefined);
      }
      this.emit('ready', peer);
    });
    peer.on('update', () => this.emit('update', peer));
    peer.on('gone', (reason) => {
      if (entry.remote !== peer || this.entries.get(peer.id) !== entry) return;
      entry.remote = null;
      if (reason === 'left') entry.hasLeft = true;
      this.emit('gone', { peer, reason });
      this.handleGone(peer.id, entry, reason);
      this.adaptEncodings();
    });
  }

  // Each link's video follows the room's size (and that link's measured uplink).
  private adaptEncodings(): void {
    const peers = this.peers;
    for (const peer of peers) void peer.adaptEncoding(peers.length + 1);
  }

  // A failed peer is retried by the smaller ID of the pair (see `afterFailure`).
  private handleGone(peerId: string, entry: MeshPeer, reason: GoneReason): void {
    if ((reason !== 'failed' && reason !== 'no-path') || !this.isJoined) {
      this.forgetIfIdle(peerId, entry);
      return;
    }
    entry.failures++;
    const next = afterFailure(entry, reason, this.options.transport.canRelay);
    if (!next) {
      entry.isUnreachable = true;
      this.emit('unreachable', { peerId, attempts: entry.failures });
      return;
    }
    entry.isRelayOnly ||= next.relayOnly;
    this.scheduleRecheck(next.afterMs);
  }

  private forgetIfIdle(peerId: string, entry: MeshPeer): void {
    const isIdle = !entry.isUnreachable && !entry.hasLeft && !entry.isRemoved;
    if (!entry.remote && entry.failures === 0 && isIdle) {
      this.entries.delete(peerId);
    }
  }

  // PeerJS cannot restart ICE on a connection (an offer for a known connection closes it), so a
  // silent peer gets a fresh call instead, from the smaller ID of the pair (the larger one
  // takes it over in handleIncoming); the peer stays shown as reconnecting meanwhile.
  private redial(peer: RemotePeer): void {
    const { transport, selfId, media } = this.options;
    if (!this.isJoined || transport.isSignallingLost) return;
    const entry = this.entries.get(peer.id);
    if (entry?.remote !== peer || !keepsOwnDial(selfId, peer.id)) return;
    this.adopt(transport.dial(peer.id, media.outgoing, { relayOnly: entry.isRelayOnly }));
  }

  // Our network changed under every link: each peer gets a fresh call from us, whichever ID is
  // smaller, marked so that it takes the call over the link it holds, which it may not know
  // is dead for seconds yet.
  private replaceLinks(): void {
    const { transport, media } = this.options;
    if (!this.isJoined) return;
    for (const [id, entry] of this.entries) {
      if (!entry.remote) continue;
      this.adopt(
        transport.dial(id, media.outgoing, { relayOnly: entry.isRelayOnly, replaces: true }),
      );
    }
  }

  // A link's certificates never change: each peer's safety code is read once its DTLS is up.
  private async refreshSafetyCodes(): Promise<void> {
    const pending = this.peers.filter((peer) => peer.isReady && peer.safetyCode === null);
    await Promise.all(
      pending.map(async (peer) => {
        const code = await readSafetyCode(peer.link);
        if (code === null || this.entries.get(peer.id)?.remote !== peer) return;
        peer.safetyCode = code;
        this.emit('update', peer);
      }),
    );
  }

  private async refreshPaths(): Promise<void> {
    void this.refreshSafetyCodes();
    const ready = this.peers.filter((peer) => peer.isReady);
    const changes = await Promise.all(ready.map((peer) => peer.refreshPath()));
    this.adaptEncodings();
    ready.forEach((peer, i) => {
      if (changes[i]) this.emit('update', peer);
    });
  }

  private scheduleRecheck(delay?: number): void {
    clearTimeout(this.recheckTimer);
    const interval = this.options.recheckIntervalMs ?? DEFAULT_RECHECK_MS;
    // Jitter keeps the peers of a room from re-reading the list in lockstep.
    const wait = delay ?? interval * (0.75 + Math.random() / 2);
    this.recheckTimer = setTimeout(() => void this.recheck(), wait);
  }

  private async recheck(): Promise<void> {
    try {
      const listed = await this.options.listRoom();
      if (!this.isJoined) return;
      // Whoever is no longer listed has left: stop showing or retrying them.
      let isPruned = false;
      for (const [id, entry] of [...this.entries]) {
        if (listed.includes(id) || (!entry.isUnreachable && entry.failures === 0)) continue;
        isPruned ||= entry.isUnreachable;
        entry.isUnreachable = false;
        entry.failures = 0;
        this.forgetIfIdle(id, entry);
      }
      if (isPruned) this.emit('forgotten', undefined);
      // A silent peer the server no longer lists in two re-checks in a row has gone: its page
      // closed before its goodbye got out. (One that only lost the network is still listed until
      // the server notices; one re-check may fall between the socket it left on another network
      // closing and its registration from the new one.)
      for (const entry of this.entries.values()) {
        const peer = entry.remote;
        const isGoing = peer?.connectionState === 'reconnecting' && !listed.includes(peer.id);
        if (isGoing && entry.wasUnlisted) peer.close();
        entry.wasUnlisted = isGoing;
      }
      this.dial(listed, false);
    } catch (error) {
      // The page is asked for a fresh token; otherwise the server may be restarting. Either
      // way, the next re-check tries again.
      if (error instanceof TokenExpiredError) this.emit('error', error);
    }
    if (this.isJoined) this.scheduleRecheck();
  }
}
