import { decodeFrame, type ChatBoundFrame } from '../protocol/frame.js';
import { encodeMessage, PROTOCOL_VERSION, type HelloMessage } from '../protocol/messages.js';
import type { PeerLink } from '../transport/transport.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import {
  lossPercentBetween,
  rateConnection,
  readMediaCounters,
  type ConnectionQuality,
  type MediaCounters,
} from './connection-quality.js';
import { ENCODING_LADDER, nextRung } from '../media/encoding-policy.js';
import { readNetworkPath, readUplinkEstimate, type NetworkPath } from './connection-stats.js';
import { DEFAULT_LIVENESS, type LivenessPolicy } from './liveness-policy.js';
import { remoteFacts, type ParticipantConnection, type PeerFacts } from './participant.js';

/** How long a new link may take to carry the peer's hello before it counts as failed. */
export const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Why a remote peer is gone: it said goodbye, ICE found no path to it (or none within
 * `CONNECT_TIMEOUT_MS`) before it ever said hello on the link, its link failed otherwise, or the
 * link was closed.
 */
export type GoneReason = 'left' | 'no-path' | 'failed' | 'closed';

export interface RemotePeerEvents {
  /** The first hello arrived on this link: the peer is a participant (again). */
  ready: void;
  /** Name, media state, stream or connection state changed. */
  update: void;
  /** The peer has been quiet for `suspectMs`, or ICE lost the path: once per silence. */
  quiet: void;
  /** The peer went silent: shown as reconnecting; a fresh call may bring it back. */
  reconnecting: void;
  /** The peer got back to the signalling server after losing it. */
  'signalling-back': void;
  /** The peer left (`bye`) or its link died. Fires once. */
  gone: GoneReason;
}

export interface RemotePeerOptions {
  liveness?: LivenessPolicy;
  clock?: Clock;
  /**
   * The peer this link replaces (a fresh call to the same participant): what it told us, its
   * stream and its reconnecting deadline carry over, so its tile stays and the bound holds.
   */
  previous?: RemotePeer;
}

/** One remote participant: its link, what it told us about itself, its stream and liveness. */
export class RemotePeer extends Emitter<RemotePeerEvents> {
  private hello: HelloMessage | null = null;
  private hasLinkHello = false;
  private stream: MediaStream | null = null;
  private screen: MediaStream | null = null;
  private path: NetworkPath | null = null;
  /** The last statistics read, so loss is measured over the last interval only. */
  private counters: MediaCounters | null = null;
  private quality: ConnectionQuality | null = null;
  /** The browser's outgoing bandwidth estimate for this link (bit/s), when it gives one. */
  private uplinkBps: number | null = null;
  /** The encoding policy's rung our video on this link is capped at, once set. */
  private encodingRung: number | null = null;
  /** When a frame last came on this link or the one it replaced (clock time). */
  private lastHeardAt = 0;
  /** Whether the peer is shown as reconnecting (silent, or its ICE path lost). */
  private isSilent = false;
  /** Whether `reconnecting` was emitted for this silence (a fresh call asked for once). */
  private hasAskedRedial = false;
  /** Whether `quiet` was emitted for this silence. */
  private isQuiet = false;
  private heartbeatTimer: TimerHandle | undefined;
  private silenceTimer: TimerHandle | undefined;
  private windowTimer: TimerHandle | undefined;
  private readonly connectTimer: TimerHandle;
  private readonly liveness: LivenessPolicy;
  private readonly clock: Clock;
  private isGone = false;
  /** Frames that are nobody's (neither a valid control message nor chat's), for diagnostics. */
  droppedMessages = 0;
  /** This link's safety code, set by the session once its certificates are known. */
  safetyCode: string | null = null;

  /**
   * @param ownHello what to tell the peer about us
   * @param takeChat gets every frame for the chat (text frames of chat's types, and binary),
   *   decoded
   */
  constructor(
    readonly link: PeerLink,
    private readonly ownHello: () => HelloMessage,
    private readonly takeChat: (peerId: string, frame: ChatBoundFrame) => void = () => undefined,
    options: RemotePeerOptions = {},
  ) {
    super();
    this.liveness = options.liveness ?? DEFAULT_LIVENESS;
    this.clock = options.clock ?? systemClock;
    const previous = options.previous;
    if (previous?.hello) {
      this.hello = previous.hello;
      this.stream = previous.stream;
      this.path = previous.path;
      this.lastHeardAt = previous.lastHeardAt;
      this.hasAskedRedial = true;
      this.showSilent();
    }
    link.on('open', () => {
      this.sendHello();
      this.scheduleHeartbeat();
    });
    link.on('message', (raw) => this.handleMessage(raw));
    link.on('stream', (stream) => {
      if (this.stream === stream) return;
      this.stream = stream;
      if (this.isShown) this.emit('update', undefined);
    });
    link.on('screen', (screen) => {
      this.screen = screen;
      if (this.hello) this.emit('update', undefined);
    });
    link.on('state', (state) => this.handleState(state));
    // A link that ends before it ever carried a hello is a failed attempt to connect.
    link.on('close', () => this.end(this.hasLinkHello ? 'closed' : 'failed'));
    this.connectTimer = this.clock.setTimeout(() => {
      if (!this.hasLinkHello) this.end('no-path');
    }, CONNECT_TIMEOUT_MS);
  }

  get id(): string {
    return this.link.remoteId;
  }

  /** Whether the peer introduced itself (on this link or the one it replaced). */
  get isReady(): boolean {
    return this.hello !== null;
  }

  /**
   * Whether the peer has a tile: once it introduced itself, or as soon as its stream is there,
   * so that its video is in place before the first frame and the name follows. The page's
   * renders wait for the offers and answers being made (see `RoomSession.whenDescribed`), so
   * the tile does not hold them up.
   */
  get isShown(): boolean {
    return this.hello !== null || this.stream !== null;
  }

  /** Whether the peer is heard on this link now: chat goes to it, and counts it as reached. */
  get isReachable(): boolean {
    return this.hasLinkHello && !this.isSilent && !this.isGone;
  }

  get connectionState(): ParticipantConnection['state'] {
    if (this.isSilent) return 'reconnecting';
    return this.hasLinkHello ? 'connected' : 'connecting';
  }

  /** Before its hello, the peer is shown with what its stream carries and no name yet. */
  toParticipant(): PeerFacts {
    return {
      ...remoteFacts(this.id, this.hello, this.stream, this.screen),
      safetyCode: this.safetyCode,
      connection: {
        state: this.connectionState,
        candidateType: this.path?.candidateType ?? null,
        roundTripMs: this.path?.roundTripMs ?? null,
        quality: this.quality,
      },
    };
  }

  /** Re-reads the network path from the connection's statistics; true when it changed. */
  async refreshPath(): Promise<boolean> {
    const report = await this.link.getStats().catch(() => null);
    const path = report ? readNetworkPath(report) : null;
    if (!path || !report || this.isGone) return false;
    const counters = readMediaCounters(report);
    const quality = rateConnection({
      roundTripMs: path.roundTripMs,
      lossPercent: lossPercentBetween(this.counters, counters),
      jitterMs: counters.jitterMs,
    });
    const changed =
      path.candidateType !== this.path?.candidateType ||
      path.roundTripMs !== this.path?.roundTripMs ||
      quality !== this.quality;
    this.path = path;
    this.counters = counters;
    this.quality = quality;
    this.uplinkBps = readUplinkEstimate(report);
    return changed;
  }

  /**
   * Caps our video on this link for a room of `roomSize` (see the encoding policy), lower while
   * this link's measured uplink falls short; a link not yet negotiated is tried again next time.
   */
  async adaptEncoding(roomSize: number): Promise<void> {
    const rung = nextRung(this.encodingRung, roomSize, this.uplinkBps);
    if (rung === this.encodingRung || this.isGone) return;
    const applied = await this.link.setVideoEncoding(ENCODING_LADDER[rung]).catch(() => false);
    if (applied && !this.isGone) this.encodingRung = rung;
  }

  /** Tells the peer our current name and media state. */
  sendHello(): void {
    this.link.send(encodeMessage(this.ownHello()));
  }

  /** Tells the peer we got back to the signalling server. */
  sendSignallingBack(): void {
    this.link.send(encodeMessage({ v: PROTOCOL_VERSION, type: 'signalling-back' }));
  }

  /** Says goodbye and closes the link. */
  leave(): void {
    this.link.send(encodeMessage({ v: PROTOCOL_VERSION, type: 'bye' }));
    this.end('left');
  }

  /** Closes the link without a goodbye (a replaced link, or a room being torn down). */
  close(): void {
    this.end('closed');
  }

  private handleMessage(raw: unknown): void {
    this.heard();
    const decoded = decodeFrame(raw);
    if (decoded.kind === 'invalid' && decoded.reason === 'unknown') {
      this.droppedMessages++;
      return;
    }
    if (decoded.kind !== 'control') {
      this.takeChat(this.id, decoded);
      return;
    }
    const { message } = decoded;
    switch (message.type) {
      case 'bye':
        this.end('left');
        return;
      case 'heartbeat':
        return;
      case 'signalling-back':
        this.emit('signalling-back', undefined);
        return;
      case 'hello': {
        const isFirstOnLink = !this.hasLinkHello;
        this.hello = message;
        this.hasLinkHello = true;
        this.heard();
        this.emit(isFirstOnLink ? 'ready' : 'update', undefined);
      }
    }
  }

  /** Any frame is a sign of life; silence is measured only once the link carried a hello. */
  private heard(): void {
    if (!this.hasLinkHello || this.isGone) return;
    this.lastHeardAt = this.clock.now();
    this.isQuiet = false;
    if (this.silenceTimer === undefined) this.watchSilence(this.liveness.suspectMs);
    if (!this.isSilent) return;
    this.isSilent = false;
    this.hasAskedRedial = false;
    this.clock.clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    this.emit('update', undefined);
  }

  // One timer, re-armed for what remains of the quiet or the silence when it fires: no timer
  // churn per frame.
  private watchSilence(delay: number): void {
    this.silenceTimer = this.clock.setTimeout(() => {
      this.silenceTimer = undefined;
      const silentFor = this.clock.now() - this.lastHeardAt;
      const { suspectMs, silenceMs } = this.liveness;
      if (silentFor >= suspectMs) this.becomeQuiet();
      if (silentFor < silenceMs) {
        this.watchSilence((silentFor < suspectMs ? suspectMs : silenceMs) - silentFor);
        return;
      }
      this.showSilent();
      if (this.hasAskedRedial || this.isGone) return;
      this.hasAskedRedial = true;
      this.emit('reconnecting', undefined);
    }, delay);
  }

  /**
   * Shows the peer as reconnecting, and removes it 20 s (silence plus window) after its last
   * frame unless it is heard again by then.
   */
  private showSilent(): void {
    if (this.isGone || this.isSilent) return;
    this.isSilent = true;
    const { silenceMs, reconnectWindowMs } = this.liveness;
    const deadline = this.lastHeardAt + silenceMs + reconnectWindowMs;
    this.windowTimer = this.clock.setTimeout(
      () => this.end('failed'),
      Math.max(0, deadline - this.clock.now()),
    );
    this.emit('update', undefined);
  }

  private scheduleHeartbeat(): void {
    this.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = this.clock.setTimeout(() => {
      if (this.isGone) return;
      this.link.send(encodeMessage({ v: PROTOCOL_VERSION, type: 'heartbeat' }));
      this.scheduleHeartbeat();
    }, this.liveness.heartbeatMs);
  }

  private handleState(state: RTCPeerConnectionState): void {
    if (state === 'failed') this.end(this.hasLinkHello ? 'failed' : 'no-path');
    else if (state === 'closed') this.end('closed');
    // ICE lost the path: shown at once; the fresh call and the removal still follow silence.
    else if (state === 'disconnected' && this.hasLinkHello) {
      this.showSilent();
      this.becomeQuiet();
    }
  }

  private becomeQuiet(): void {
    if (this.isQuiet || this.isGone) return;
    this.isQuiet = true;
    this.emit('quiet', undefined);
  }

  private end(reason: GoneReason): void {
    if (this.isGone) return;
    this.isGone = true;
    for (const timer of [
      this.heartbeatTimer,
      this.silenceTimer,
      this.windowTimer,
      this.connectTimer,
    ]) {
      this.clock.clearTimeout(timer);
    }
    this.link.close();
    this.emit('gone', reason);
    this.removeAllListeners();
  }
}
