import type {
  DialOptions,
  PeerLink,
  PeerTransport,
  PeerTransportEvents,
} from '../transport/transport.js';
import { Emitter } from '../util/emitter.js';
import type { RoomCommand } from './room-protocol.js';

/** The transport's events this wrapper passes on unchanged. */
const FORWARDED = ['disconnected', 'error', 'reconnected', 'network-changed', 'notice'] as const;

/**
 * A transport that keeps the peers the server removed out of the mesh: their links close at once
 * and their calls are refused from then on, whatever they send. The route talks to this; the rest
 * goes to the transport it wraps.
 */
export class BarringTransport extends Emitter<PeerTransportEvents> implements PeerTransport {
  private readonly barred = new Set<string>();
  private readonly links = new Set<PeerLink>();
  private isDestroyed = false;

  constructor(private readonly inner: PeerTransport) {
    super();
    inner.on('incoming', (link) => {
      // Refused: a removed peer's, or any once this visit is over.
      if (this.isDestroyed || this.barred.has(link.remoteId)) link.close();
      else this.emit('incoming', this.track(link));
    });
    for (const type of FORWARDED) {
      inner.on(type, (payload) => this.emit(type, payload as never));
    }
  }

  get id(): string {
    return this.inner.id;
  }

  get isSignallingLost(): boolean {
    return this.inner.isSignallingLost;
  }

  get canRelay(): boolean {
    return this.inner.canRelay;
  }

  /** The server removed `peerId`: its links close now and it is never linked again. */
  bar(peerId: string): void {
    this.barred.add(peerId);
    for (const link of [...this.links]) if (link.remoteId === peerId) link.close();
  }

  open(): Promise<readonly string[] | null> {
    return this.inner.open();
  }

  dial(remoteId: string, stream: MediaStream, options?: DialOptions): PeerLink {
    const link = this.track(this.inner.dial(remoteId, stream, options));
    // Reported to the route as any link that failed, once it is watching.
    if (this.barred.has(remoteId)) queueMicrotask(() => link.close());
    return link;
  }

  sendToServer(command: RoomCommand): boolean {
    return this.inner.sendToServer(command);
  }

  retrySignalling(): void {
    this.inner.retrySignalling();
  }

  checkSignalling(): void {
    this.inner.checkSignalling();
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    this.inner.setIceServers(iceServers);
  }

  destroy(): void {
    this.isDestroyed = true;
    this.links.clear();
    this.inner.destroy();
    this.removeAllListeners();
  }

  private track(link: PeerLink): PeerLink {
    this.links.add(link);
    link.on('close', () => this.links.delete(link));
    return link;
  }
}
