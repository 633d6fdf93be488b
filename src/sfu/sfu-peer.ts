import type { HelloMessage } from '../protocol/messages.js';
import type { ConnectionQuality } from '../room/connection-quality.js';
import type { NetworkPath } from '../room/connection-stats.js';
import type { RoutePeer } from '../room/media-route.js';
import { remoteFacts, type PeerFacts } from '../room/participant.js';

/** One publisher of the room as this visitor receives it through Janus. */
export class SfuPeer implements RoutePeer {
  hello: HelloMessage | null = null;
  /** Whether its hello came over the current Janus connection. */
  hasHello = false;
  /** Its stream, once its first frame came. */
  stream: MediaStream | null = null;
  /** Whether it publishes on the current connection. */
  isLive = false;
  /** Our `mid`s that carry its streams, by kind. */
  mids: { audio?: string; video?: string } = {};
  /** The tracks last seen for it, to notice a change. */
  tracks: readonly MediaStreamTrack[] = [];
  /** The streams it publishes now, by `mid` in its connection. */
  publishedMids: readonly string[] = [];
  /** The screen it shares, through Janus. */
  screen: MediaStream | null = null;
  path: NetworkPath | null = null;
  /** The quality of our link to Janus, which carries it. */
  quality: ConnectionQuality | null = null;
  isLost = false;
  /** When we last answered its hello with ours (clock time). */
  answeredAt = -Infinity;

  constructor(readonly id: string) {}

  get isReady(): boolean {
    return this.hello !== null;
  }

  /**
   * Shown from the moment it publishes, named once its hello comes: its tile asks Janus for its
   * video, which a hello lost on the way (Janus drops frames to a channel not up yet) would hold.
   */
  get isShown(): boolean {
    return this.isLive || this.hello !== null || this.stream !== null;
  }

  get isReachable(): boolean {
    return this.hasHello && !this.isLost;
  }

  /** Whether its stream through Janus is playing (the mesh's can be let go). */
  get hasMedia(): boolean {
    return this.stream !== null && this.isLive && !this.isLost;
  }

  toParticipant(): PeerFacts {
    return {
      ...remoteFacts(this.id, this.hello, this.stream, this.screen),
      // A safety code proves a direct DTLS link; through an SFU there is none to prove.
      safetyCode: null,
      connection: {
        state: this.isLost ? 'reconnecting' : this.hasMedia ? 'connected' : 'connecting',
        candidateType: this.path?.candidateType ?? null,
        roundTripMs: this.path?.roundTripMs ?? null,
        quality: this.quality,
        via: 'sfu',
      },
    };
  }
}
