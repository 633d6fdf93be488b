// Frames on Janus's data channels. A publisher's channel reaches everyone subscribed to it, so
// each frame says whom it is from and for (a peer ID, or `*` for everyone); a receiver keeps
// those for it and drops the rest. Janus relays them; rtc-room-server never sees them.
// The receiver checks the claimed sender against the publisher Janus names (see SfuRoute).

/** Addressed to every participant. */
export const EVERYONE = '*';

/** One frame as it travels through Janus, its payload as the chat and the session send it. */
export interface Envelope {
  from: string;
  to: string;
  data: string | ArrayBuffer;
}

// Peer IDs are ASCII (PeerJS's ID rule), under 256 characters.
const isAddress = (id: string): boolean => /^[\w*-]{1,255}$/.test(id);

/** Wraps a frame: text as `from\nto\npayload`, binary behind two length-prefixed IDs. */
export function wrapFrame({ from, to, data }: Envelope): string | ArrayBuffer {
  if (typeof data === 'string') return `${from}\n${to}\n${data}`;
  const head = new TextEncoder().encode(`${from}\n${to}`);
  const out = new Uint8Array(2 + head.length + data.byteLength);
  new DataView(out.buffer).setUint16(0, head.length);
  out.set(head, 2);
  out.set(new Uint8Array(data), 2 + head.length);
  return out.buffer;
}

/** Unwraps a frame from the data channel; null when it is not one of ours. */
export function unwrapFrame(raw: unknown): Envelope | null {
  if (typeof raw === 'string') {
    const first = raw.indexOf('\n');
    const second = raw.indexOf('\n', first + 1);
    if (first < 0 || second < 0) return null;
    return addressed(raw.slice(0, first), raw.slice(first + 1, second), raw.slice(second + 1));
  }
  if (!(raw instanceof ArrayBuffer) || raw.byteLength < 2) return null;
  const length = new DataView(raw).getUint16(0);
  if (raw.byteLength < 2 + length) return null;
  const head = new TextDecoder().decode(new Uint8Array(raw, 2, length)).split('\n');
  if (head.length !== 2) return null;
  return addressed(head[0], head[1], raw.slice(2 + length));
}

function addressed(from: string, to: string, data: string | ArrayBuffer): Envelope | null {
  return isAddress(from) && isAddress(to) && from !== EVERYONE ? { from, to, data } : null;
}
