import { RoomError, TokenExpiredError } from '../errors.js';
import { isRecord } from '../util/is-record.js';

/** What `/api/config` tells a client about the PeerServer it should register with. */
export interface ServerConfig {
  peer: { path: string; key: string };
}

/** What `/api/ice` returns: ICE servers, with an expiry when they carry TURN credentials. */
export interface IceConfig {
  iceServers: RTCIceServer[];
  /** When the credentials stop working (ms since the epoch), or null when they do not expire. */
  expiresAt: number | null;
}

const REQUEST_TIMEOUT_MS = 8_000;

/** Prefetched TURN credentials are used only while they have at least this long to live. */
const PREFETCHED_ICE_MIN_LIFE_MS = 5 * 60_000;

function withRoom(path: string, roomId: string | undefined): string {
  return roomId ? `${path}?room=${encodeURIComponent(roomId)}` : path;
}

/** The element's client for `rtc-room-server`'s small JSON API; every failure is a RoomError. */
export class ServerApi {
  /** Answers fetched ahead (by path and token), each taken by the first call that asks. */
  private readonly early = new Map<string, Promise<Record<string, unknown>>>();

  /**
   * @param readToken the join token to send (read at every call: the page may renew it), or null
   */
  constructor(
    readonly base: URL,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly readToken: () => string | null = () => null,
  ) {}

  /**
   * Fetches what a join asks for first (the config, and ICE servers unless the page gives its
   * own) while the visitor is still in the prejoin. A failed prefetch is forgotten: the join asks
   * again and reports what it gets.
   */
  prefetch(roomId: string, { ice }: { ice: boolean }): void {
    const paths = [withRoom('/api/config', roomId)];
    if (ice) paths.push(withRoom('/api/ice', roomId));
    for (const path of paths) {
      const key = this.keyOf(path);
      if (this.early.has(key)) continue;
      const answer = this.fetchJson(path);
      answer.catch(() => undefined);
      this.early.set(key, answer);
    }
  }

  /** `roomId` rides along (`?room=`) so a load balancer can send every request of a room alike. */
  async config(roomId?: string): Promise<ServerConfig> {
    const body = await this.get(withRoom('/api/config', roomId));
    const peer = isRecord(body.peer) ? body.peer : {};
    if (typeof peer.path !== 'string' || typeof peer.key !== 'string') {
      throw this.malformed('/api/config');
    }
    return { peer: { path: peer.path, key: peer.key } };
  }

  async ice(roomId?: string): Promise<IceConfig> {
    // Prefetched credentials are taken only with time to spare before their renewal.
    const body = await this.get(
      withRoom('/api/ice', roomId),
      (early) =>
        typeof early.expiresAt !== 'number' ||
        early.expiresAt - Date.now() > PREFETCHED_ICE_MIN_LIFE_MS,
    );
    if (!Array.isArray(body.iceServers)) throw this.malformed('/api/ice');
    const expiresAt = typeof body.expiresAt === 'number' ? body.expiresAt : null;
    return { iceServers: body.iceServers as RTCIceServer[], expiresAt };
  }

  /**
   * The peer IDs connected to the signalling server in one room; a locked room's are listed to a
   * member who gives `proof` (its peer ID and client secret).
   */
  async roomPeers(roomId: string, proof: string | null = null): Promise<string[]> {
    const path = `/api/rooms/${encodeURIComponent(roomId)}/peers`;
    const body = proof ? await this.fetchJson(path, proof) : await this.get(path);
    if (!Array.isArray(body.peers)) throw this.malformed('/api/rooms');
    return body.peers.filter((id): id is string => typeof id === 'string');
  }

  /** A prefetched answer when there is one and `isFresh` takes it, else a new request. */
  private async get(
    path: string,
    isFresh: (early: Record<string, unknown>) => boolean = () => true,
  ): Promise<Record<string, unknown>> {
    const key = this.keyOf(path);
    const early = this.early.get(key);
    this.early.delete(key);
    const body = early ? await early.catch(() => null) : null;
    return body && isFresh(body) ? body : this.fetchJson(path);
  }

  private keyOf(path: string): string {
    return `${path} ${this.readToken() ?? ''}`;
  }

  private async fetchJson(path: string, proof?: string): Promise<Record<string, unknown>> {
    const url = new URL(path, this.base);
    let response: Response;
    const token = this.readToken();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (proof) headers['x-rtc-peer'] = proof;
    try {
      response = await this.fetchImpl(url, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        headers,
        credentials: 'omit',
      });
    } catch (error) {
      throw new RoomError(
        'server-unreachable',
        `Cannot reach the room server at ${this.base.origin}`,
        {
          cause: error,
        },
      );
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const message = isRecord(body) && typeof body.message === 'string' ? body.message : '';
      if (response.status === 401 && isRecord(body) && body.error === 'token-expired') {
        throw new TokenExpiredError(message || undefined);
      }
      const code =
        response.status === 400
          ? 'bad-room-id'
          : response.status === 401 || response.status === 403
            ? 'unauthorized'
            : 'server-unreachable';
      throw new RoomError(
        code,
        message || `The room server answered ${response.status} for ${path}`,
      );
    }
    if (!isRecord(body)) throw this.malformed(path);
    return body;
  }

  private malformed(path: string): RoomError {
    return new RoomError(
      'bad-server',
      `${this.base.origin}${path} did not answer like an rtc-room-server`,
    );
  }
}
