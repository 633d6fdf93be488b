/** What the visit knows of one remote participant, whatever route reaches it. */
interface PeerEntry {
  /** The name from its latest hello. */
  name: string;
  /** Whether the page was told it joined (a replaced link does not announce it twice). */
  isAnnounced: boolean;
}

/** Who the page was told is in the room, with each one's latest name: one entry per peer. */
export class Roster {
  private readonly entries = new Map<string, PeerEntry>();

  nameOf(peerId: string): string {
    return this.entries.get(peerId)?.name ?? '';
  }

  rename(peerId: string, name: string): void {
    this.entryOf(peerId).name = name;
  }

  /** A peer said hello; true when the page is to hear that it joined (not told before). */
  arrive(peerId: string, name: string): boolean {
    const entry = this.entryOf(peerId);
    entry.name = name;
    if (entry.isAnnounced) return false;
    entry.isAnnounced = true;
    return true;
  }

  /** A peer is gone; true when the page is to hear that it left (it was told it joined). */
  depart(peerId: string): boolean {
    const entry = this.entries.get(peerId);
    if (!entry?.isAnnounced) return false;
    entry.isAnnounced = false;
    return true;
  }

  clear(): void {
    this.entries.clear();
  }

  private entryOf(peerId: string): PeerEntry {
    let entry = this.entries.get(peerId);
    if (!entry) this.entries.set(peerId, (entry = { name: '', isAnnounced: false }));
    return entry;
  }
}
