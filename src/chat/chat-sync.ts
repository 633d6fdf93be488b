// History and sync: how two peers end up holding the same messages after any drop.
//
// When a link opens, each side sends a summary: the IDs of its newest `historyMessages`
// messages. Each side then asks (`want`) for what it lacks, from one peer at a time, and accepts
// relayed messages only as answers to its own requests. Every `digestIntervalMs` each side sends
// a 32-bit digest of the same IDs; when two differ (a message one side missed while the link was
// up, e.g. from an author who left before reaching everyone), they exchange summaries again.
// A late joiner is just a peer with an empty summary.
import {
  digestOf,
  type ChatDigestFrame,
  type ChatHistoryFrame,
  type ChatPictureFrame,
  type ChatSyncFrame,
  type ChatWantFrame,
  type HistoryItem,
} from '../protocol/chat-messages.js';
import { cleanName, PROTOCOL_VERSION } from '../protocol/messages.js';
import type { TimerHandle } from '../util/clock.js';
import { historyFrames, idFrames } from './chat-history.js';
import type { ChatContext, ChatPicture, Entry } from './chat-types.js';

/** One `want` sent: the peer asked, and the wait for its answer. */
interface Request {
  peerId: string;
  timer: TimerHandle;
}

export class ChatSync {
  /** Summaries and requests arriving in parts, per peer. */
  private readonly summaryParts = new Map<string, string[]>();
  private readonly wantParts = new Map<string, string[]>();
  /** The last complete summary of each linked peer: who can be asked for what. */
  private readonly known = new Map<string, Set<string>>();
  /** Messages asked for and not yet received, with the peer asked. */
  private readonly requested = new Map<string, Request>();
  /** Peers that left a request unanswered: asked again only once nobody else can answer. */
  private readonly silent = new Set<string>();
  /** IDs answered on each link: a peer gets each message at most once per link. */
  private readonly answered = new Map<string, Set<string>>();
  private readonly summarySentAt = new Map<string, number>();
  private readonly pictureTimers = new Map<string, TimerHandle>();
  private digestTimer: TimerHandle | undefined;
  /** Relayed messages written after this (wall clock) count as unread. */
  private readonly joinedAt: number;

  constructor(private readonly chat: ChatContext) {
    this.joinedAt = chat.wallNow();
    this.scheduleDigests();
  }

  /** A link opened (or was replaced): tell the peer what we hold. */
  linkReady(peerId: string): void {
    this.answered.set(peerId, new Set());
    this.silent.delete(peerId);
    this.sendSummary(peerId, true);
  }

  /** A link closed: what we asked of that peer is asked of another who has it. */
  linkGone(peerId: string): void {
    this.summaryParts.delete(peerId);
    this.wantParts.delete(peerId);
    this.known.delete(peerId);
    this.answered.delete(peerId);
    this.summarySentAt.delete(peerId);
    this.chat.clock.clearTimeout(this.pictureTimers.get(peerId));
    this.pictureTimers.delete(peerId);
    const orphans: string[] = [];
    for (const [id, request] of this.requested) {
      if (request.peerId !== peerId) continue;
      this.cancelRequest(id);
      orphans.push(id);
    }
    this.failAwaitedPictures(peerId);
    this.askOthers(orphans, peerId);
  }

  handleDigest(peerId: string, frame: ChatDigestFrame): void {
    const own = this.digest();
    if (own.count === frame.count && own.hash === frame.hash) return;
    this.sendSummary(peerId, false);
  }

  handleSync(peerId: string, frame: ChatSyncFrame): void {
    const parts = this.summaryParts.get(peerId) ?? [];
    if (parts.length + frame.ids.length > this.chat.limits.historyMessages) {
      this.summaryParts.delete(peerId);
      this.chat.drop(peerId, 'too-large');
      return;
    }
    parts.push(...frame.ids);
    if (!frame.done) {
      this.summaryParts.set(peerId, parts);
      return;
    }
    this.summaryParts.delete(peerId);
    const theirs = new Set(parts);
    this.known.set(peerId, theirs);
    const lacking = parts.filter((id) => !this.requested.has(id) && this.lacks(id));
    if (lacking.length > 0) this.request(peerId, lacking);
    // The peer lacks something of ours: it asks once it has our summary.
    if (this.window().some((entry) => !theirs.has(entry.id))) this.sendSummary(peerId, false);
  }

  handleWant(peerId: string, frame: ChatWantFrame): void {
    const answered = this.answered.get(peerId);
    if (!answered) {
      this.chat.drop(peerId, 'unsolicited');
      return;
    }
    const parts = this.wantParts.get(peerId) ?? [];
    if (parts.length + frame.ids.length > this.chat.limits.historyMessages) {
      this.wantParts.delete(peerId);
      this.chat.drop(peerId, 'too-large');
      return;
    }
    parts.push(...frame.ids);
    if (!frame.done) {
      this.wantParts.set(peerId, parts);
      return;
    }
    this.wantParts.delete(peerId);
    this.answer(peerId, parts, answered);
  }

  handleHistory(peerId: string, frame: ChatHistoryFrame): void {
    for (const item of frame.items) {
      const request = this.requested.get(item.id);
      // Only answers to our own requests: a peer cannot push messages into our chat.
      if (request?.peerId !== peerId) {
        this.chat.drop(peerId, 'unsolicited');
        continue;
      }
      this.cancelRequest(item.id);
      this.takeItem(peerId, item);
    }
    this.touchPictures(peerId);
  }

  /** The announced bytes of a relayed picture we await from this peer. */
  receivePicture(peerId: string, entry: Entry, frame: ChatPictureFrame): boolean {
    const picture = entry.message.picture;
    entry.awaitingFrom = null;
    if (picture?.type !== frame.mime || picture.size !== frame.size) {
      this.chat.drop(peerId, 'forged');
      this.chat.updatePicture(entry.id, { failed: 'incomplete' });
      return false;
    }
    this.touchPictures(peerId);
    return true;
  }

  /** A chunk came from a peer: its relayed pictures are still coming. */
  chunkArrived(peerId: string): void {
    if (this.pictureTimers.has(peerId)) this.touchPictures(peerId);
  }

  dispose(): void {
    this.chat.clock.clearTimeout(this.digestTimer);
    for (const request of this.requested.values()) this.chat.clock.clearTimeout(request.timer);
    for (const timer of this.pictureTimers.values()) this.chat.clock.clearTimeout(timer);
    this.requested.clear();
    this.pictureTimers.clear();
  }

  /** The messages peers compare: our newest `historyMessages`. */
  private window(): readonly Entry[] {
    return this.chat.log.entries.slice(-this.chat.limits.historyMessages);
  }

  private digest(): { count: number; hash: number } {
    const window = this.window();
    return { count: window.length, hash: digestOf(window.map((entry) => entry.id)) };
  }

  /** Whether we should ask for a message: missing, or a picture whose bytes never came. */
  private lacks(id: string): boolean {
    const entry = this.chat.log.get(id);
    if (!entry) return true;
    const picture = entry.message.picture;
    return !!picture && !entry.blob && !entry.awaitingFrom && picture.failed === 'incomplete';
  }

  private scheduleDigests(): void {
    this.digestTimer = this.chat.clock.setTimeout(() => {
      const { count, hash } = this.digest();
      for (const peerId of this.chat.peers.ids()) {
        this.chat.sendFrame(peerId, { v: PROTOCOL_VERSION, type: 'digest', count, hash });
      }
      this.scheduleDigests();
    }, this.chat.limits.digestIntervalMs);
  }

  // At most one summary per digest interval per link, unless the link just opened.
  private sendSummary(peerId: string, isForced: boolean): void {
    const now = this.chat.clock.now();
    const last = this.summarySentAt.get(peerId);
    if (!isForced && last !== undefined && now - last < this.chat.limits.digestIntervalMs) return;
    this.summarySentAt.set(peerId, now);
    const ids = this.window().map((entry) => entry.id);
    for (const frame of idFrames('sync', ids)) {
      if (!this.chat.sendFrame(peerId, frame)) return;
    }
  }

  private request(peerId: string, ids: string[]): void {
    const request: Request = {
      peerId,
      timer: this.chat.clock.setTimeout(
        () => this.requestTimedOut(request),
        this.chat.limits.historyTimeoutMs,
      ),
    };
    for (const id of ids) this.requested.set(id, request);
    for (const frame of idFrames('want', ids)) {
      if (this.chat.sendFrame(peerId, frame)) continue;
      // The channel closed under us: ask someone else.
      for (const id of ids) this.cancelRequest(id);
      this.askOthers(ids, peerId);
      return;
    }
  }

  private cancelRequest(id: string): void {
    const request = this.requested.get(id);
    if (!request) return;
    this.requested.delete(id);
    if (![...this.requested.values()].includes(request))
      this.chat.clock.clearTimeout(request.timer);
  }

  private requestTimedOut(request: Request): void {
    const unanswered = [...this.requested].filter(([, r]) => r === request).map(([id]) => id);
    if (unanswered.length === 0) return;
    for (const id of unanswered) this.requested.delete(id);
    if (!this.silent.has(request.peerId)) this.chat.drop(request.peerId, 'timeout');
    this.silent.add(request.peerId);
    this.askOthers(unanswered, request.peerId);
  }

  /** Asks other linked peers whose summary listed them for messages still lacking. */
  private askOthers(ids: readonly string[], except: string): void {
    const byPeer = new Map<string, string[]>();
    for (const id of ids) {
      if (this.requested.has(id) || !this.lacks(id)) continue;
      const holders = [...this.known]
        .filter(([peerId, held]) => peerId !== except && held.has(id))
        .map(([peerId]) => peerId)
        .filter((peerId) => this.chat.isReady(peerId));
      const holder = holders.find((peerId) => !this.silent.has(peerId)) ?? holders[0];
      if (holder === undefined) continue;
      byPeer.set(holder, [...(byPeer.get(holder) ?? []), id]);
    }
    for (const [peerId, wanted] of byPeer) this.request(peerId, wanted);
  }

  private answer(peerId: string, ids: readonly string[], answered: Set<string>): void {
    const wanted = new Set(ids);
    const entries = this.chat.log.entries.filter(
      (entry) => wanted.has(entry.id) && !answered.has(entry.id),
    );
    for (const entry of entries) answered.add(entry.id);
    // The newest pictures that fit the budget go along.
    const withBytes = new Set<Entry>();
    let budget = this.chat.limits.historyPictureBytes;
    for (const entry of [...entries].reverse()) {
      if (entry.blob && entry.blob.size <= budget) {
        withBytes.add(entry);
        budget -= entry.blob.size;
      }
    }
    const items = entries.map((entry) => this.toItem(entry, withBytes.has(entry)));
    for (const frame of historyFrames(items)) {
      if (!this.chat.peers.send(peerId, frame)) return;
    }
    for (const entry of entries) {
      if (entry.message.delivery === 'pending') this.chat.update(entry.id, { delivery: 'sent' });
      const { id, clock, blob, message } = entry;
      if (!withBytes.has(entry) || !blob || !message.picture) continue;
      const { type } = message.picture;
      // We hold the bytes, so the chunk has loaded (it sent or received them); they leave in order.
      void this.chat.transfers
        .load()
        .then((transfers) => transfers?.send([peerId], { id, clock, type, bytes: blob }));
    }
  }

  private toItem(entry: Entry, hasBytes: boolean): HistoryItem {
    const { message } = entry;
    const item = {
      id: entry.id,
      clock: entry.clock,
      from: entry.senderId,
      name: message.isOwn ? cleanName(this.chat.selfName()) : message.senderName,
      at: message.sentAt,
    };
    if (!message.picture) return { ...item, text: message.text ?? '' };
    const { type, size } = message.picture;
    return { ...item, picture: { mime: type, size, follows: hasBytes } };
  }

  private takeItem(peerId: string, item: HistoryItem): void {
    const { limits, log, selfId } = this.chat;
    const known = log.get(item.id);
    if (known) {
      this.retakePicture(peerId, known, item);
      return;
    }
    // Nobody holds a message of ours that we do not.
    if (item.from === selfId) {
      this.chat.drop(peerId, 'forged');
      return;
    }
    if (item.clock > this.chat.lamport + limits.maxClockLead) {
      this.chat.drop(peerId, 'clock');
      return;
    }
    let picture: ChatPicture | undefined;
    let awaitingFrom: string | null = null;
    if (item.picture) {
      const { mime, size, follows } = item.picture;
      const isExpected = follows && this.canAwait(size);
      if (isExpected) {
        awaitingFrom = peerId;
        void this.chat.transfers.load();
      }
      picture = { type: mime, size, url: null, progress: 0 };
      if (!isExpected) picture = { ...picture, failed: 'unavailable' };
    }
    const isLive = this.chat.isReady(item.from);
    const entry: Entry = {
      id: item.id,
      clock: item.clock,
      senderId: item.from,
      blob: null,
      awaitingFrom,
      message: {
        id: item.id,
        senderId: item.from,
        // A live peer's name is the one from its own hello, whatever a relay says.
        senderName: isLive ? this.chat.peers.nameOf(item.from) : item.name,
        isOwn: false,
        isHistory: true,
        sentAt: Math.min(item.at, this.chat.wallNow()),
        kind: picture ? 'picture' : 'text',
        ...(picture ? { picture } : { text: item.text }),
        delivery: 'sent',
      },
    };
    this.chat.insert(entry, item.at >= this.joinedAt);
  }

  /** A picture we hold without its bytes (they never all came) may get them from this answer. */
  private retakePicture(peerId: string, entry: Entry, item: HistoryItem): void {
    const picture = entry.message.picture;
    const offered = item.picture;
    if (!picture || !offered?.follows || entry.blob || entry.awaitingFrom) return;
    if (offered.mime !== picture.type || offered.size !== picture.size) return;
    if (!this.canAwait(offered.size)) return;
    entry.awaitingFrom = peerId;
    void this.chat.transfers.load();
    this.chat.updatePicture(entry.id, { failed: undefined, progress: 0 });
  }

  private canAwait(size: number): boolean {
    const { limits, log } = this.chat;
    let awaited = 0;
    for (const entry of log.entries) {
      if (entry.awaitingFrom) awaited += entry.message.picture?.size ?? 0;
    }
    return size <= limits.maxImageBytes && awaited + size <= limits.historyPictureBytes;
  }

  /** Restarts the wait for the relayed pictures a peer still owes us. */
  private touchPictures(peerId: string): void {
    const { clock, log, limits } = this.chat;
    clock.clearTimeout(this.pictureTimers.get(peerId));
    this.pictureTimers.delete(peerId);
    if (!log.entries.some((entry) => entry.awaitingFrom === peerId)) return;
    const timer = clock.setTimeout(() => {
      this.pictureTimers.delete(peerId);
      if (this.failAwaitedPictures(peerId)) this.chat.drop(peerId, 'timeout');
    }, limits.transferIdleTimeoutMs);
    this.pictureTimers.set(peerId, timer);
  }

  private failAwaitedPictures(peerId: string): boolean {
    let isAny = false;
    for (const entry of this.chat.log.entries) {
      if (entry.awaitingFrom !== peerId) continue;
      entry.awaitingFrom = null;
      isAny = true;
      this.chat.updatePicture(entry.id, { failed: 'incomplete' });
    }
    return isAny;
  }
}
