// What the pages that the end-to-end tests, the lab and the benchmarks drive hold, for the
// functions those scripts hand to `page.evaluate` and that run there (see tsconfig.e2e.json).
import type { Peer } from 'peerjs';
import type { DetailOf, RtcRoomEventMap } from '../src/events.js';
import type { Participant } from '../src/room/participant.js';
import type { RtcRoom } from '../src/rtc-room.js';

/** The events fixtures/embed.js records, in order. */
type RecordedType =
  | 'rtc-join'
  | 'rtc-leave'
  | 'rtc-peer-join'
  | 'rtc-peer-leave'
  | 'rtc-state'
  | 'rtc-error'
  | 'rtc-speaker'
  | 'rtc-room-lock'
  | 'rtc-knock'
  | 'rtc-reaction'
  | 'rtc-mode';

/** A detail as recorded: a copy, with its participant cut to the ID and the name. */
type RecordedDetail<D> = {
  [K in keyof D]: K extends 'participant'
    ? Pick<Participant, 'id' | 'name'> | Extract<D[K], null>
    : D[K];
};

/** One event of the element, as fixtures/embed.js keeps it in `window.rtcEvents`. */
export type RecordedEvent = {
  [K in RecordedType]: { type: K; detail: RecordedDetail<DetailOf<K>> };
}[RecordedType];

/** What the lab and the bare benchmark pages pass each other: a description or a candidate. */
export interface LabSignal {
  description?: RTCSessionDescriptionInit;
  candidate?: RTCIceCandidateInit;
}

/** The element as the test pages hold it: defined, so with its open shadow root. */
interface RoomOnPage extends RtcRoom {
  readonly shadowRoot: ShadowRoot;
}

declare global {
  interface ParentNode {
    /**
     * Every page the tests open the element on holds one `<rtc-room>` in its markup
     * (fixtures/*.html): the tests read it as it is, and a page without it fails the test at
     * once, as it would without types.
     */
    querySelector(selectors: 'rtc-room'): RoomOnPage;
  }

  /** The element's events bubble and are composed: the page's document and window hear them. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface WindowEventMap extends RtcRoomEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DocumentEventMap extends RtcRoomEventMap {}

  /** PeerJS's browser bundle, on the pages that load /peerjs.js. */
  var peerjs: typeof import('peerjs');

  // Set by the React 18 app of build/installed-package.test.js.
  var reactVersion: string;
  var joins: DetailOf<'rtc-join'>[];

  interface Window {
    // Set by fixtures/embed.js, on every page that embeds the element.
    rtcEvents: RecordedEvent[];

    // Set by fixtures/plain-peer.js, on the pages that use PeerJS without the element.
    /** A peer ID inside `roomId`, shaped as the element makes its own. */
    peerIdIn(roomId: string): string;
    /** Resolves with a PeerJS peer registered as `id`; rejects with its first error. */
    openPlainPeer(id: string): Promise<Peer>;

    // Set by fixtures/peerjs-call.html.
    answerCalls(id: string, remoteIds?: string[]): Promise<void>;
    timeCallToFirstFrame(id: string, remoteId: string): Promise<number>;
    timeMeshToFrames(
      id: string,
      remoteIds: string[],
      options?: { asVisitor?: boolean },
    ): Promise<{ registered: number; first: number; last: number }>;
    receiveBytes(id: string, expected: number): Promise<void>;
    /** After receiveBytes: the wall-clock ms the last byte came. */
    received: Promise<number>;
    sendBytes(id: string, remoteId: string, size: number): Promise<number>;
    /** With ?call=: the ms from navigation start to the first remote frame. */
    firstFrameAt: Promise<number>;

    // Set by fixtures/stranger-probe.html.
    connect(roomId: string, targetId: string, serialization: string): Promise<'open' | 'no-open'>;
    call(roomId: string, targetId: string, metadata: unknown): Promise<'answered' | 'no-answer'>;

    // Set by fixtures/hostile.html; `pwned` only by a script it smuggles in, if one ever ran.
    attack(roomId: string, targetId: string): Promise<number>;
    /** Offers a file whose bytes lie about it; resolves with its message ID. */
    offerLyingFile(roomId: string, targetId: string): Promise<string>;
    pwned?: unknown;

    // Set by e2e/files.test.js: a file's progress as it changed, and its download under way.
    fileProgress: number[];
    fileWatch: ReturnType<typeof setInterval>;
    fileDownload: Promise<string | undefined>;

    // Set before load by e2e/security.test.js.
    tokenRequests: DetailOf<'rtc-token-expired'>[];
    loads?: number;

    // Set before load by e2e/room.test.js.
    peerConnectionsMade: number;
    ourRTCPeerConnection: typeof RTCPeerConnection;
    originalMethods: unknown[];

    // Set before load by e2e/firefox.test.js.
    gathered: { policies: (RTCBundlePolicy | undefined)[]; sections: (number | null)[] };

    // Set by e2e/steady-video.test.js.
    stopWatchingVideos(): import('./e2e/steady-video.test.js').WatchedVideo[];

    // Set by lab/tiles.js: each remote tile with its video, and a video's frames (a tile
    // without a video fails the test there).
    labTiles: [Element, HTMLVideoElement | null][];
    labFramesOf(video: HTMLVideoElement | null): number;
    // Set by lab/sfu.test.js: when each marked video last showed a frame, its longest wait, the
    // wait at the change of its video track, and that track.
    labGaps: { last: number; longest: number; swap: number; track: MediaStreamTrack | null }[];
    // Set by lab/sfu.test.js: video frames counted, by what they count, and since when so many.
    labFrames?: Record<string, { frames: number; since: number }>;

    // Set by bench/chat.js: the sender's connection and channel, the receiver's connection.
    bare: { connection: RTCPeerConnection; channel?: RTCDataChannel; done?: Promise<number> };

    // Set by bench/join.js.
    firstRemoteFrame: Promise<number>;

    // Set by bench/lab.js; labSignal is the benchmark's exposed function.
    labJoin: Promise<number>;
    labSignal(message: LabSignal): Promise<unknown>;
    labReceive(message: LabSignal): Promise<void>;
    labCall(): Promise<number>;

    // Set by bench/sfu.js: every peer connection the page made, and the sound of one tile.
    labConnections: RTCPeerConnection[];
    labSound: {
      read(): { longest: number; swap: number; isSwapHeard: boolean };
      stop(): void;
    };
  }
}
