import type { LocalMedia } from '../media/local-media.js';
import type { HelloMessage } from '../protocol/messages.js';
import type { ConnectionQuality } from './connection-quality.js';
import type { NetworkPath } from './connection-stats.js';

/**
 * How a remote participant is connected: still trying, connected (and how), gone silent and
 * being reconnected (removed if still silent 20 s after its last frame), or given up.
 */
export interface ParticipantConnection extends NetworkPath {
  state: 'connecting' | 'connected' | 'reconnecting' | 'unreachable';
  /** Good, fair or poor from round trip, loss and jitter; null until measured. */
  quality: ConnectionQuality | null;
  /**
   * `sfu` when this is the visitor's link to the media server, which relays their media (a
   * large room); absent when it goes to them directly.
   */
  via?: 'sfu';
}

/** One person in the room as the page sees them; a new object whenever anything changes. */
export interface Participant {
  /** The peer ID, unique in the room and for this visit. */
  readonly id: string;
  /** The display name they chose (cleaned of control characters), possibly empty. */
  readonly name: string;
  /** Whether this is the visitor of this page. */
  readonly isLocal: boolean;
  /** Whether their microphone is on. */
  readonly hasAudio: boolean;
  /** Whether their camera (or shared screen) is on. */
  readonly hasVideo: boolean;
  /** The screen they share (shown as a tile of its own), or null. */
  readonly screen: MediaStream | null;
  /** Their media: for the local participant the camera preview, else the remote stream. */
  readonly stream: MediaStream | null;
  /** For a remote participant, the connection to them; null for the local one. */
  readonly connection: ParticipantConnection | null;
  /**
   * For a remote participant, six digits from both ends' DTLS certificates that two people can
   * compare aloud (they differ if anyone sits in the middle); null until known, and for oneself.
   */
  readonly safetyCode: string | null;
  /** `host` may lock the room, let people in and remove them; everyone else is a `guest`. */
  readonly role: 'host' | 'guest';
  /** Whether `name` is the one a join token vouches for (the server checked it). */
  readonly verified: boolean;
  /** Whether their hand is raised. */
  readonly handRaised: boolean;
}

/** What a visit knows of a participant before the server's word on it (see `RoomModeration`). */
export type PeerFacts = Omit<Participant, 'role' | 'verified' | 'handRaised'>;

/**
 * What a remote peer's hello and stream say of it: before its hello, what its stream carries and
 * no name yet.
 */
export function remoteFacts(
  id: string,
  hello: HelloMessage | null,
  stream: MediaStream | null,
  screen: MediaStream | null,
): Pick<PeerFacts, 'id' | 'name' | 'isLocal' | 'hasAudio' | 'hasVideo' | 'stream' | 'screen'> {
  return {
    id,
    name: hello?.name ?? '',
    isLocal: false,
    hasAudio: hello?.audio ?? (stream?.getAudioTracks().length ?? 0) > 0,
    hasVideo: hello?.video ?? (stream?.getVideoTracks().length ?? 0) > 0,
    stream,
    screen,
  };
}

/** A peer given up on, as the page shows it: its last name, no media, `unreachable`. */
export function unreachableParticipant(id: string, name: string): PeerFacts {
  const connection = { state: 'unreachable', candidateType: null, roundTripMs: null } as const;
  return {
    id,
    name,
    isLocal: false,
    hasAudio: false,
    hasVideo: false,
    stream: null,
    screen: null,
    safetyCode: null,
    connection: { ...connection, quality: null },
  };
}

/** This visitor, as the page shows it: its own media, no connection. */
export function localParticipant(id: string, name: string, media: LocalMedia): PeerFacts {
  return {
    id,
    name,
    isLocal: true,
    hasAudio: media.isMicrophoneEnabled,
    hasVideo: media.isCameraEnabled,
    stream: media.preview,
    screen: media.screen,
    connection: null,
    safetyCode: null,
  };
}
