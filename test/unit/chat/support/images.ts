// Real picture bytes for the tests: drawn on a canvas where the browser can encode the format,
// written out by hand for GIF (canvas cannot make one).

/** A picture drawn on a small canvas and encoded by the browser. */
export async function canvasImage(type: 'image/png' | 'image/jpeg' | 'image/webp'): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = 16;
  canvas.height = 8;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#3b82f6';
  context.fillRect(0, 0, 16, 8);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type));
  if (!blob || blob.type !== type) throw new Error(`this browser cannot encode ${type}`);
  return blob;
}

/** A 1×1 transparent GIF89a. */
export function gifBytes(): Uint8Array<ArrayBuffer> {
  const base64 = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** `size` bytes that start like a PNG (its signature and header chunk) and go on at random. */
export async function pngLike(size: number): Promise<Uint8Array<ArrayBuffer>> {
  const head = new Uint8Array(await (await canvasImage('image/png')).arrayBuffer()).subarray(0, 33);
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
  }
  bytes.set(head.subarray(0, Math.min(head.length, size)));
  return bytes;
}

/** Whether two byte arrays are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const SVG_TEXT =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
export const HTML_TEXT = '<!doctype html><html><body><img src=x onerror=alert(1)></body></html>';
