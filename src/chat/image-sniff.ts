// Pictures are recognised by their first bytes (WHATWG MIME Sniffing, "image type pattern
// matching"), never by a file name or a type someone else chose: a renamed SVG or HTML page is
// refused, a PNG named `.txt` is a PNG.
import type { ImageType } from '../protocol/chat-messages.js';

/** How many leading bytes `sniffImageType` needs to recognise every format it knows. */
export const SNIFF_BYTES = 14;

// `null` in a pattern matches any byte (the RIFF length of a WebP file).
const SIGNATURES: ReadonlyArray<[ImageType, ReadonlyArray<number | null>]> = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]], // GIF87a
  ['image/gif', [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]], // GIF89a
  // RIFF, four bytes of length, WEBPVP
  [
    'image/webp',
    [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50],
  ],
];

/** The picture type the bytes start with, or null when they are not a PNG, JPEG, GIF or WebP. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  for (const [type, pattern] of SIGNATURES) {
    if (bytes.length < pattern.length) continue;
    if (pattern.every((byte, i) => byte === null || bytes[i] === byte)) return type;
  }
  return null;
}

/** Why a picture is refused before it is sent or after it arrived. */
export type ImageRefusal = 'too-large' | 'not-an-image';

export type ImageCheck = { ok: true; type: ImageType } | { ok: false; refusal: ImageRefusal };

/** Checks a picture a visitor chose: its size against `maxBytes`, then its first bytes. */
export async function checkImage(blob: Blob, maxBytes: number): Promise<ImageCheck> {
  if (blob.size > maxBytes) return { ok: false, refusal: 'too-large' };
  if (blob.size === 0) return { ok: false, refusal: 'not-an-image' };
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const type = sniffImageType(head);
  return type ? { ok: true, type } : { ok: false, refusal: 'not-an-image' };
}
