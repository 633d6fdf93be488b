// What decodeFrame makes of a frame, narrowed to one kind, for tests that read frames sent.
import type { ChatFrame } from '../../../src/protocol/chat-messages.js';
import { decodeFrame } from '../../../src/protocol/frame.js';
import type { PeerMessage } from '../../../src/protocol/messages.js';

/** The control message `raw` decodes to, or null when it is not a valid one. */
export function controlMessageOf(raw: unknown): PeerMessage | null {
  const decoded = decodeFrame(raw);
  return decoded.kind === 'control' ? decoded.message : null;
}

/** The chat text frame `raw` decodes to, or null when it is not a valid one. */
export function chatFrameOf(raw: unknown): ChatFrame | null {
  const decoded = decodeFrame(raw);
  return decoded.kind === 'chat' ? decoded.frame : null;
}
