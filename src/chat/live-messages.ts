// Live messages: what this visitor writes goes straight to every reachable peer, and what a peer
// writes arrives straight from it. Rate limits hold both ways. A message that reached nobody is
// kept `pending`; the sync hands it on once someone is reachable.
import {
  cleanText,
  MAX_TEXT_LENGTH,
  type ChatPictureFrame,
  type ChatTextFrame,
} from '../protocol/chat-messages.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { RoomError } from '../errors.js';
import { chatError } from './chat-errors.js';
import type { ChatContext, ChatMessage, ChatPicture, Entry } from './chat-types.js';
import { TokenBucket } from './rate-limit.js';

export interface LiveMessagesOptions {
  /** Monotonic clock for rate limits (default `performance.now`). */
  monotonicNow?: () => number;
  /** Makes message IDs (default `crypto.randomUUID`). */
  newId?: () => string;
  /** Whether the chat was closed (the visit ended). */
  isClosed(): boolean;
}

export class LiveMessages {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly sendBucket: TokenBucket;

  constructor(
    private readonly chat: ChatContext,
    private readonly options: LiveMessagesOptions,
  ) {
    this.sendBucket = this.bucket(chat.limits.sendRate);
  }

  peerReady(peerId: string): void {
    if (!this.buckets.has(peerId))
      this.buckets.set(peerId, this.bucket(this.chat.limits.receiveRate));
  }

  peerGone(peerId: string): void {
    this.buckets.delete(peerId);
  }

  /** See `ChatRoom.sendText`. */
  async sendText(text: string): Promise<ChatMessage> {
    if (this.options.isClosed()) throw closedError();
    const clean = cleanText(text).trim();
    if (!clean) throw chatError('chat-empty', 'A message needs some text.');
    if (clean.length > MAX_TEXT_LENGTH) {
      throw chatError('chat-too-long', `A message has at most ${MAX_TEXT_LENGTH} characters.`);
    }
    if (!this.sendBucket.take()) throw rateLimitedError();
    const frame: ChatTextFrame = {
      v: PROTOCOL_VERSION,
      type: 'chat',
      id: this.newId(),
      clock: this.chat.lamport + 1,
      text: clean,
    };
    const reached = this.chat.peers.ids().filter((peerId) => this.chat.sendFrame(peerId, frame));
    const entry = this.addOwn(
      frame.id,
      frame.clock,
      { kind: 'text', text: clean },
      null,
      reached.length,
    );
    return entry.message;
  }

  /** See `ChatRoom.sendImage`. */
  async sendImage(file: Blob): Promise<ChatMessage> {
    if (this.options.isClosed()) throw closedError();
    const maxBytes = this.chat.limits.maxImageBytes;
    const tooLarge = () => chatError('image-too-large', `A picture has at most ${maxBytes} bytes.`);
    if (file.size > maxBytes) throw tooLarge();
    const [buffer, transfers] = await Promise.all([file.arrayBuffer(), this.chat.transfers.load()]);
    const bytes = new Uint8Array(buffer);
    if (this.options.isClosed()) throw closedError();
    if (bytes.byteLength > maxBytes) throw tooLarge();
    if (!transfers) {
      throw new RoomError('internal', 'Pictures cannot be sent right now.');
    }
    const type = transfers.sniffImageType(bytes);
    if (!type) {
      throw chatError('image-unsupported', 'Only PNG, JPEG, GIF and WebP pictures can be sent.');
    }
    if (!this.sendBucket.take()) throw rateLimitedError();
    const blob = new Blob([bytes], { type });
    const id = this.newId();
    const clock = this.chat.lamport + 1;
    const targets = this.chat.peers.ids();
    const picture: ChatPicture = {
      type,
      size: bytes.byteLength,
      url: null,
      progress: targets.length > 0 ? 0 : 1,
    };
    const entry = this.addOwn(id, clock, { kind: 'picture', picture }, blob, targets.length);
    const isSent = await transfers.send(targets, { id, clock, type, bytes }, true);
    if (this.options.isClosed()) throw closedError();
    // Every channel closed before the offer went out: it waits for the sync like any pending one.
    if (targets.length > 0 && !isSent) {
      this.chat.update(id, { delivery: 'pending' });
    }
    return this.chat.log.get(id)?.message ?? entry.message;
  }

  receiveText(peerId: string, frame: ChatTextFrame): void {
    if (!this.takeToken(peerId) || !this.acceptLive(peerId, frame)) return;
    this.addRemote(peerId, frame.id, frame.clock, { kind: 'text', text: frame.text });
  }

  /** A live picture: returns true when its transfer should start. */
  receivePicture(peerId: string, frame: ChatPictureFrame): boolean {
    if (!this.takeToken(peerId) || !this.acceptLive(peerId, frame)) return false;
    if (frame.size > this.chat.limits.maxImageBytes) {
      this.chat.drop(peerId, 'too-large');
      return false;
    }
    const picture: ChatPicture = { type: frame.mime, size: frame.size, url: null, progress: 0 };
    this.addRemote(peerId, frame.id, frame.clock, { kind: 'picture', picture });
    return true;
  }

  /** A live message must be new, and its clock not absurdly far ahead of ours. */
  private acceptLive(peerId: string, frame: { id: string; clock: number }): boolean {
    if (this.chat.log.has(frame.id)) {
      this.chat.drop(peerId, 'duplicate');
      return false;
    }
    if (frame.clock > this.chat.lamport + this.chat.limits.maxClockLead) {
      this.chat.drop(peerId, 'clock');
      return false;
    }
    return true;
  }

  private addOwn(
    id: string,
    clock: number,
    content: Pick<ChatMessage, 'kind' | 'text' | 'picture'>,
    blob: Blob | null,
    reached: number,
  ): Entry {
    const entry: Entry = {
      id,
      clock,
      senderId: this.chat.selfId,
      blob: null,
      awaitingFrom: null,
      message: {
        id,
        senderId: this.chat.selfId,
        senderName: this.chat.selfName(),
        isOwn: true,
        isHistory: false,
        sentAt: this.chat.wallNow(),
        ...content,
        delivery: reached > 0 ? 'sent' : 'pending',
      },
    };
    if (blob && entry.message.picture) {
      // The URL is in the message before anyone hears of it.
      entry.message = {
        ...entry.message,
        picture: { ...entry.message.picture, url: this.chat.holdPicture(entry, blob) },
      };
    }
    this.chat.insert(entry, false);
    return entry;
  }

  private addRemote(
    peerId: string,
    id: string,
    clock: number,
    content: Pick<ChatMessage, 'kind' | 'text' | 'picture'>,
  ): void {
    const entry: Entry = {
      id,
      clock,
      senderId: peerId,
      blob: null,
      awaitingFrom: null,
      message: {
        id,
        senderId: peerId,
        senderName: this.chat.peers.nameOf(peerId),
        isOwn: false,
        isHistory: false,
        sentAt: this.chat.wallNow(),
        ...content,
        delivery: 'sent',
      },
    };
    this.chat.insert(entry, true);
  }

  private takeToken(peerId: string): boolean {
    if (this.buckets.get(peerId)?.take()) return true;
    this.chat.drop(peerId, 'rate-limited');
    return false;
  }

  private bucket(rate: { perSecond: number; burst: number }): TokenBucket {
    return new TokenBucket(rate.perSecond, rate.burst, this.options.monotonicNow);
  }

  private newId(): string {
    return (this.options.newId ?? (() => crypto.randomUUID()))();
  }
}

export function closedError(): RoomError {
  return chatError('chat-closed', 'The chat is closed (the visit to the room ended).');
}

function rateLimitedError(): RoomError {
  return chatError('chat-rate-limited', 'Too many messages at once; wait a moment.');
}
