// A RoomSession over a fake transport and a fake server API, with the helpers its tests share:
// the session's own tests and the mesh route's, which drive the mesh through the session.
import { aTimeout, expect } from '@open-wc/testing';
import { LocalMedia, type MediaDevicesLike } from '../../../src/media/local-media.js';
import {
  PROTOCOL_VERSION,
  encodeMessage,
  type HelloMessage,
  type PeerMessage,
} from '../../../src/protocol/messages.js';
import {
  RoomSession,
  type RoomSessionEvents,
  type RoomSessionOptions,
} from '../../../src/room/room-session.js';
import type { IceConfig, ServerApi, ServerConfig } from '../../../src/room/server-api.js';
import {
  fakeTransportFactory,
  type FakeLink,
  type FakeNetwork,
  type FakeTransport,
} from './fake-transport.js';

export const ROOM = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';
/** Sorts before every peer ID makePeerId gives in ROOM (those have 16 hex characters). */
export const LOWER = `${ROOM}_0`;
/** Sorts after every peer ID makePeerId gives in ROOM ('z' > any hex digit). */
export const HIGHER = `${ROOM}_z`;
export const SERVER_ICE: RTCIceServer[] = [{ urls: 'stun:127.0.0.1:3478' }];

/** The part of ServerApi the session uses, with the room's member list in a field. */
export class FakeApi {
  readonly base = new URL('http://127.0.0.1:9000');
  peers: string[] = [];
  /** When the ICE servers handed out expire (ms since the epoch), or null. */
  iceExpiresAt: number | null = null;
  roomPeerCalls = 0;
  iceCalls = 0;
  config(): Promise<ServerConfig> {
    return Promise.resolve({ peer: { path: '/peerjs', key: 'rtc' } });
  }
  ice(): Promise<IceConfig> {
    this.iceCalls++;
    return Promise.resolve({ iceServers: SERVER_ICE, expiresAt: this.iceExpiresAt });
  }
  roomPeers(): Promise<string[]> {
    this.roomPeerCalls++;
    return Promise.resolve([...this.peers]);
  }
}

export type Logged = {
  [K in keyof RoomSessionEvents]: [K, RoomSessionEvents[K]];
}[keyof RoomSessionEvents];

/** Every event a session emitted, in order. */
export class EventLog {
  readonly entries: Logged[] = [];
  constructor(session: RoomSession) {
    const types: Array<keyof RoomSessionEvents> = [
      'state',
      'peer-join',
      'peer-leave',
      'participants',
      'error',
      'signalling',
    ];
    for (const type of types) {
      session.on(type, (payload: unknown) => this.entries.push([type, payload] as Logged));
    }
  }
  of<K extends keyof RoomSessionEvents>(type: K): Array<RoomSessionEvents[K]> {
    return this.entries.filter((entry) => entry[0] === type).map((entry) => entry[1]) as Array<
      RoomSessionEvents[K]
    >;
  }
  count(type: keyof RoomSessionEvents): number {
    return this.of(type).length;
  }
}

export interface Setup {
  session: RoomSession;
  api: FakeApi;
  media: LocalMedia;
  log: EventLog;
  made: FakeTransport[];
  /** The transport the session made (after join). */
  transport(): FakeTransport;
}

const live: Array<{ session: RoomSession; media: LocalMedia }> = [];

/** Leaves every session `setup` made and stops its media (for `afterEach`). */
export function leaveAll(): void {
  for (const { session, media } of live.splice(0)) {
    session.leave();
    media.stop();
  }
}

export function setup(
  options: Partial<RoomSessionOptions> & {
    network?: FakeNetwork;
    holdsDescriptions?: boolean;
  } = {},
): Setup {
  const { network, holdsDescriptions, ...overrides } = options;
  const api = new FakeApi();
  const media = overrides.media ?? new LocalMedia();
  const factory = fakeTransportFactory(network, { holdsDescriptions });
  const session = new RoomSession({
    roomId: ROOM,
    name: 'Me',
    iceServers: null,
    iceTransportPolicy: 'all',
    startWith: { audio: false, video: false },
    api: api as unknown as ServerApi,
    media,
    createTransport: factory,
    recheckIntervalMs: 60_000,
    ...overrides,
  });
  live.push({ session, media });
  return {
    session,
    api,
    media,
    log: new EventLog(session),
    made: factory.made,
    transport() {
      expect(factory.made, 'transports made').to.have.length(1);
      return factory.made[0];
    },
  };
}

/** A session joined to a room whose list the server gives as `peers`, with the links it dialled. */
export async function joinedDialling(
  peers: string[],
  options?: Parameters<typeof setup>[0],
): Promise<Setup & { dialled: FakeLink[] }> {
  const joined = setup(options);
  joined.api.peers = peers;
  await joined.session.join();
  return Object.assign(joined, { dialled: joined.transport().dialled });
}

export function hello(name: string, media: { audio?: boolean; video?: boolean } = {}): string {
  const message: HelloMessage = {
    v: PROTOCOL_VERSION,
    type: 'hello',
    name,
    audio: media.audio ?? true,
    video: media.video ?? true,
  };
  return encodeMessage(message);
}

export const BYE = encodeMessage({ v: PROTOCOL_VERSION, type: 'bye' });
export const HEARTBEAT = encodeMessage({ v: PROTOCOL_VERSION, type: 'heartbeat' });

/** Each remote participant's connection state, by ID. */
export function connectionStates(session: RoomSession): Record<string, string | undefined> {
  return Object.fromEntries(
    session.participants.filter((p) => !p.isLocal).map((p) => [p.id, p.connection?.state]),
  );
}

/** Opens a link's data channel and has the peer introduce itself. */
export function makeReady(link: FakeLink, name = 'Peer'): void {
  link.fire('open', undefined);
  link.fire('message', hello(name));
}

export function remoteIds(session: RoomSession): string[] {
  return session.participants.filter((p) => !p.isLocal).map((p) => p.id);
}

export function lastSent(link: FakeLink): PeerMessage | undefined {
  return link.sentMessages.at(-1);
}

/** Real (fake-device) media that remembers every stream it handed out. */
export function recordingDevices(): MediaDevicesLike & { opened: Array<Promise<MediaStream>> } {
  const opened: Array<Promise<MediaStream>> = [];
  return {
    opened,
    getUserMedia(constraints?: MediaStreamConstraints) {
      const stream = navigator.mediaDevices.getUserMedia(constraints);
      opened.push(stream);
      return stream;
    },
  };
}

export async function liveTracksOf(
  opened: Array<Promise<MediaStream>>,
): Promise<MediaStreamTrack[]> {
  const settled = await Promise.allSettled(opened);
  await aTimeout(0);
  return settled
    .flatMap((result) => (result.status === 'fulfilled' ? result.value.getTracks() : []))
    .filter((track) => track.readyState === 'live');
}
