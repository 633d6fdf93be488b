// Which simulcast layer each tile asks Janus for: what its size needs, so that what a visitor
// downloads grows with what it shows, not with the room; and which layers a publisher encodes,
// none that nobody needs. Plain data, no DOM.
import type { StreamLayer } from './video-room.js';

/** The layers we publish, highest first, as `sendEncodings` (Janus's substream 2, 1, 0). */
export const SIMULCAST_ENCODINGS: RTCRtpEncodingParameters[] = [
  { rid: 'h', maxBitrate: 900_000 },
  { rid: 'm', maxBitrate: 300_000, scaleResolutionDownBy: 2 },
  { rid: 'l', maxBitrate: 100_000, scaleResolutionDownBy: 4 },
];

/** The camera's width (640×360): the high layer's; each lower one halves it. */
const FULL_WIDTH = 640;

/**
 * The layer for a tile `width` CSS pixels wide: paused without a tile (null) or for a tile that
 * shows no video; else the lowest layer that covers its width in device pixels, with a quarter to
 * spare before stepping up.
 */
export function layerFor(width: number | null, pixelRatio = 1): StreamLayer {
  if (width === null || width <= 0) return { substream: 0, send: false };
  const needed = width * pixelRatio * 0.75;
  const substream = needed > FULL_WIDTH / 2 ? 2 : needed > FULL_WIDTH / 4 ? 1 : 0;
  return { substream, send: true };
}

/**
 * A receiver's word to a publisher: the highest of its layers the receiver's tile needs (0–2),
 * or -1 for none. Sent as a frame of its own, which no chat message can be (those are JSON).
 */
export function layerRequest(top: number): string {
  return `sfu-layer:${top}`;
}

/** The layer a frame's payload asks for, or null when it is not such a request. */
export function readLayerRequest(data: string | ArrayBuffer): number | null {
  const request = typeof data === 'string' ? /^sfu-layer:(-1|[0-2])$/.exec(data) : null;
  return request ? Number(request[1]) : null;
}

/**
 * Which of `SIMULCAST_ENCODINGS` we encode, given what each receiver asked for (a receiver that
 * has not asked counts as asking for all): none above the highest anyone needs, so a room of
 * small tiles costs its publishers no full-size encoding. The lowest stays on, so that a
 * newcomer's first frame does not wait for an encoder to start.
 */
export function activeEncodings(requests: Iterable<number | undefined>): boolean[] {
  const top = Math.max(0, ...[...requests].map((request) => request ?? 2));
  return SIMULCAST_ENCODINGS.map((_, index) => SIMULCAST_ENCODINGS.length - 1 - index <= top);
}
