// Media routes that do what a test says: peers set by hand, events fired by hand, and what the
// code under test asked of them recorded.
import type {
  MediaRoute,
  MediaRouteEvents,
  RoutePeer,
  SfuNotice,
} from '../../../src/room/media-route.js';
import type { PeerFacts } from '../../../src/room/participant.js';
import { SfuPeer } from '../../../src/sfu/sfu-peer.js';
import { Emitter } from '../../../src/util/emitter.js';

/** A mesh peer as a route lists it. */
export function meshPeer(id: string, { isShown = true, isReachable = true } = {}): RoutePeer {
  return {
    id,
    isReady: isShown,
    isShown,
    isReachable,
    toParticipant: () => ({ id, name: id }) as PeerFacts,
  };
}

/** A peer through Janus, its stream playing (`hasMedia`) or not yet. */
export function sfuPeer(id: string, { hasMedia = true } = {}): SfuPeer {
  const peer = new SfuPeer(id);
  peer.isLive = true;
  peer.hasHello = true;
  peer.hello = { v: 1, type: 'hello', name: id, audio: true, video: true };
  if (hasMedia) peer.stream = new MediaStream();
  return peer;
}

export class FakeRoute<Peer extends RoutePeer = RoutePeer>
  extends Emitter<MediaRouteEvents>
  implements MediaRoute
{
  peers: Peer[] = [];
  unreachable: string[] = [];
  /** Whether `close` was called with a goodbye (null: not closed). */
  closedWithGoodbye: boolean | null = null;
  readonly sent: Array<[string, string | ArrayBuffer]> = [];

  fire<K extends keyof MediaRouteEvents>(type: K, payload: MediaRouteEvents[K]): void {
    this.emit(type, payload);
  }

  start(): void {}
  send(peerId: string, data: string | ArrayBuffer): boolean {
    this.sent.push([peerId, data]);
    return true;
  }
  bufferedAmount(): number {
    return 0;
  }
  sendHello(): void {}
  replaceTrack(): void {}
  shareScreen(): void {}
  audioLevels(): Map<string, number> {
    return new Map();
  }
  getStats(): Promise<RTCStatsReport | null> {
    return Promise.resolve(null);
  }
  bar(): void {}
  whenDescribed(): null {
    return null;
  }
  close(sayGoodbye: boolean): void {
    this.closedWithGoodbye = sayGoodbye;
    this.removeAllListeners();
  }
}

/** The route through Janus as the handover sees it. */
export class FakeSfu extends FakeRoute<SfuPeer> {
  isConnected = false;
  readonly notices: SfuNotice[] = [];

  take(notice: SfuNotice): void {
    this.notices.push(notice);
  }

  /** We publish on Janus now. */
  connect(): void {
    this.isConnected = true;
    this.fire('mode', 'sfu');
  }

  /** A peer's stream through Janus plays from now on. */
  play(peer: SfuPeer): void {
    peer.stream ??= new MediaStream();
    if (!this.peers.includes(peer)) this.peers.push(peer);
    this.fire('update', peer);
  }
}
