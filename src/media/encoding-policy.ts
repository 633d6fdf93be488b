/**
 * What each video sender of the mesh may spend. In a full mesh a visitor encodes and uploads its
 * camera once per other visitor, so the larger the room, the less each copy gets: about 1.2 Mbit/s
 * of video upload in all whatever the size, and fewer pixels and frames to encode per copy, which
 * is what keeps a laptop's CPU from saturating at 5 or 6 visitors.
 */
export interface VideoEncoding {
  /** Bits per second, at most (`RTCRtpEncodingParameters.maxBitrate`). */
  readonly maxBitrate: number;
  /** The camera's 640×360 divided by this (`scaleResolutionDownBy`). */
  readonly scaleResolutionDownBy: number;
  /** Frames per second, at most (`maxFramerate`). */
  readonly maxFramerate: number;
}

/** The rungs, best first; a room's size picks its best rung, a weak uplink steps further down. */
export const ENCODING_LADDER: readonly VideoEncoding[] = [
  { maxBitrate: 900_000, scaleResolutionDownBy: 1, maxFramerate: 30 }, // 2 visitors: 640×360
  { maxBitrate: 600_000, scaleResolutionDownBy: 1, maxFramerate: 24 }, // 3: 640×360
  { maxBitrate: 400_000, scaleResolutionDownBy: 1.5, maxFramerate: 20 }, // 4: 427×240
  { maxBitrate: 300_000, scaleResolutionDownBy: 2, maxFramerate: 15 }, // 5: 320×180
  { maxBitrate: 220_000, scaleResolutionDownBy: 2, maxFramerate: 15 }, // 6: 320×180
  { maxBitrate: 150_000, scaleResolutionDownBy: 3, maxFramerate: 12 }, // 7 and more: 213×120
  { maxBitrate: 90_000, scaleResolutionDownBy: 4, maxFramerate: 8 }, // a weak uplink only: 160×90
];

/** Below this share of a rung's bitrate, the measured uplink steps one rung down. */
export const UPLINK_STEP_DOWN = 0.9;

/** The best rung a room of `roomSize` visitors (this one included) allows. */
export function rungForRoomSize(roomSize: number): number {
  return Math.min(Math.max(roomSize - 2, 0), ENCODING_LADDER.length - 2);
}

/**
 * The rung for one link: the room's best when its uplink is unknown; else, from the rung it is on
 * (never better than the room's), one down when the link's measured outgoing bandwidth
 * (`availableOutgoingBitrate`) falls under the rung's bitrate, one up when it carries the rung
 * fully. A browser's estimate rarely climbs far above what it is asked to send, so the climb is
 * one rung at a time, on evidence.
 */
export function nextRung(
  current: number | null,
  roomSize: number,
  uplinkBps: number | null,
): number {
  const best = rungForRoomSize(roomSize);
  if (uplinkBps === null || current === null) return best;
  const rung = Math.max(best, current);
  const { maxBitrate } = ENCODING_LADDER[rung];
  if (uplinkBps < maxBitrate * UPLINK_STEP_DOWN) {
    return Math.min(rung + 1, ENCODING_LADDER.length - 1);
  }
  if (uplinkBps >= maxBitrate && rung > best) return rung - 1;
  return rung;
}
