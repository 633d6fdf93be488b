// Which simulcast layer each tile asks Janus for: what its size needs, so that what a visitor
// downloads grows with what it shows, not with the room. Plain data, no DOM.
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
