/**
 * Where a message sits in the room's conversation: every peer sorts by the author's Lamport clock,
 * then the author's peer ID, then the message ID, so the same messages come out in the same order
 * whatever order they arrived in.
 */
export interface OrderKey {
  readonly id: string;
  readonly clock: number;
  readonly senderId: string;
}

/** Compares two messages by their place in the conversation. */
export function compareOrder(a: OrderKey, b: OrderKey): number {
  if (a.clock !== b.clock) return a.clock - b.clock;
  if (a.senderId !== b.senderId) return a.senderId < b.senderId ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The conversation as an ordered list without duplicates, holding at most `capacity` entries
 * (the oldest go first).
 */
export class ChatLog<T extends OrderKey> {
  private readonly sorted: T[] = [];
  private readonly byId = new Map<string, T>();

  constructor(
    private readonly capacity: number,
    /** Called with each entry pushed out of a full log. */
    private readonly onEvict: (entry: T) => void = () => {},
  ) {}

  get entries(): readonly T[] {
    return this.sorted;
  }

  get size(): number {
    return this.sorted.length;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /**
   * Inserts an entry in order. False for an ID already present, or for an entry older than all
   * of a full log (it would be evicted at once).
   */
  add(entry: T): boolean {
    if (this.byId.has(entry.id)) return false;
    const at = this.insertionIndex(entry);
    if (at === 0 && this.sorted.length >= this.capacity) return false;
    this.sorted.splice(at, 0, entry);
    this.byId.set(entry.id, entry);
    while (this.sorted.length > this.capacity) {
      const evicted = this.sorted.shift()!;
      this.byId.delete(evicted.id);
      this.onEvict(evicted);
    }
    return true;
  }

  /** Removes every entry (without calling `onEvict`). */
  clear(): void {
    this.sorted.length = 0;
    this.byId.clear();
  }

  private insertionIndex(entry: T): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareOrder(this.sorted[mid], entry) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
