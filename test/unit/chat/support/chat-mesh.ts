// An in-memory room for ChatRoom tests: every frame one room sends is decoded and reaches the
// other room's handleFrame on a later task (or, given a fake clock, when the clock next ticks), and each
// direction's undelivered bytes are its bufferedAmount.
import { ChatRoom, type ChatLimits, type ChatPeers } from '../../../../src/chat/chat-room.js';
import type { TransfersModule } from '../../../../src/chat/transfer-gate.js';
import * as transfersChunk from '../../../../src/chat/transfers.js';
import { decodeFrame } from '../../../../src/protocol/frame.js';
import type { Clock } from '../../../../src/util/clock.js';

export interface SentFrame {
  from: string;
  to: string;
  data: string | ArrayBuffer;
}

export class ChatMesh {
  readonly rooms = new Map<string, ChatRoom>();
  readonly names = new Map<string, string>();
  /** Every frame sent, in order. */
  readonly sent: SentFrame[] = [];
  private readonly links = new Set<string>();
  private readonly queued = new Map<string, number>();
  /** Rooms whose frames are lost on the way (a peer that never answers). */
  readonly muted = new Set<string>();

  /**
   * `loadTransfers` stands for the transfers chunk's `import()`: by default the module, at once
   * (see `settle`); a test that controls it sees what waits for the chunk.
   */
  constructor(
    private readonly defaults: Partial<ChatLimits> = {},
    private readonly clock?: Clock,
    private readonly loadTransfers: () => Promise<TransfersModule> = () =>
      Promise.resolve(transfersChunk),
  ) {}

  /** A new room in the mesh, linked to nobody yet. */
  add(id: string, name: string, limits: Partial<ChatLimits> = {}): ChatRoom {
    this.names.set(id, name);
    const room = new ChatRoom({
      peers: this.peersOf(id),
      selfId: id,
      selfName: () => this.names.get(id) ?? '',
      limits: { ...this.defaults, ...limits },
      clock: this.clock,
      loadTransfers: this.loadTransfers,
    });
    this.rooms.set(id, room);
    return room;
  }

  /** Opens the channel between two rooms and has each say hello to the other (`a` first). */
  connect(a: string, b: string): void {
    this.links.add(linkKey(a, b));
    this.room(b).handlePeerReady(a);
    this.room(a).handlePeerReady(b);
  }

  disconnect(a: string, b: string): void {
    this.links.delete(linkKey(a, b));
    this.room(a).handlePeerGone(b);
    this.room(b).handlePeerGone(a);
  }

  isLinked(a: string, b: string): boolean {
    return this.links.has(linkKey(a, b));
  }

  /**
   * Hands a raw frame to `to` as if `from` had sent it, decoded as a link would; returns whether
   * it was chat's (else it is a control message, or nobody's).
   */
  inject(from: string, to: string, data: unknown): boolean {
    return handOver(this.room(to), from, data);
  }

  /** The frames one room sent another so far. */
  framesBetween(from: string, to: string): Array<string | ArrayBuffer> {
    return this.sent.filter((f) => f.from === from && f.to === to).map((f) => f.data);
  }

  room(id: string): ChatRoom {
    const room = this.rooms.get(id);
    if (!room) throw new Error(`no room ${id}`);
    return room;
  }

  dispose(): void {
    for (const room of this.rooms.values()) room.dispose();
  }

  private peersOf(self: string): ChatPeers {
    return {
      ids: () =>
        [...this.rooms.keys()].filter((id) => id !== self && this.links.has(linkKey(self, id))),
      send: (to, data) => {
        if (!this.links.has(linkKey(self, to))) return false;
        const key = `${self}>${to}`;
        const size = typeof data === 'string' ? data.length : data.byteLength;
        this.sent.push({ from: self, to, data });
        this.queued.set(key, (this.queued.get(key) ?? 0) + size);
        const deliver = () => {
          this.queued.set(key, (this.queued.get(key) ?? 0) - size);
          if (this.links.has(linkKey(self, to)) && !this.muted.has(self)) {
            const room = this.rooms.get(to);
            if (room) handOver(room, self, data);
          }
        };
        if (this.clock) this.clock.setTimeout(deliver, 0);
        else setTimeout(deliver);
        return true;
      },
      bufferedAmount: (to) => this.queued.get(`${self}>${to}`) ?? 0,
      nameOf: (id) => this.names.get(id) ?? '',
    };
  }
}

/** Lets every promise callback due run (a chunk load that resolves at once, and what follows). */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
}

function handOver(room: ChatRoom, from: string, data: unknown): boolean {
  const decoded = decodeFrame(data);
  if (decoded.kind === 'control' || (decoded.kind === 'invalid' && decoded.reason === 'unknown')) {
    return false;
  }
  room.handleFrame(from, decoded);
  return true;
}

function linkKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
