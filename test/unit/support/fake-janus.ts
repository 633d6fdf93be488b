// A Janus on the other end of a fake WebSocket: each frame the client sends is recorded, and the
// test answers it (or not) as Janus would. No network, no timers of its own.
import type { JanusSocket } from '../../../src/sfu/janus-session.js';

export type Frame = Record<string, unknown> & { janus: string; transaction?: string };

export class FakeJanusSocket implements JanusSocket {
  readyState = 0;
  readonly sent: Frame[] = [];
  isClosed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Frame);
  }

  close(): void {
    this.isClosed = true;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** Janus sends a frame. */
  deliver(frame: Record<string, unknown>): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(frame) }));
  }

  /** The last frame sent of a kind (`janus` field), or of a plugin request (`body.request`). */
  last(kind: string): Frame {
    const frame = [...this.sent]
      .reverse()
      .find(
        (each) =>
          each.janus === kind || (each.body as { request?: string } | undefined)?.request === kind,
      );
    if (!frame) throw new Error(`nothing sent of kind ${kind}`);
    return frame;
  }

  /** Answers the last frame of `kind` with `reply` (its transaction added). */
  answer(kind: string, reply: Record<string, unknown>): void {
    this.deliver({ ...reply, transaction: this.last(kind).transaction });
  }

  /** The server side drops the socket. */
  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close'));
  }
}

/** Lets promises waiting on the fake's answers run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
