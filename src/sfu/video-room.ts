// The VideoRoom plugin's requests, as a publisher (one handle, one peer connection that sends)
// and as one multistream subscriber (one handle, one peer connection that receives every feed
// it asks for). Offers from Janus are answered one at a time, in the order they come.
import { isRecord } from '../util/is-record.js';
import type { JanusSession, PluginEvent } from './janus-session.js';

export const VIDEO_ROOM = 'janus.plugin.videoroom';

/** What a shared screen's stream is called among a publisher's streams. */
export const SCREEN = 'screen';

/** A publisher in the room as Janus lists it, with the streams it publishes now. */
export interface Feed {
  id: string;
  display: string;
  /** Its streams' `mid`s (in its own connection), those it stopped left out. */
  mids: string[];
}

/** One stream of the subscriber's connection: which publisher it carries, on which `mid`. */
export interface SubscribedStream {
  mid: string;
  feed: string;
  /** The stream's `mid` in the publisher's connection. */
  feedMid: string;
  type: 'audio' | 'video' | 'data';
  /** Whether it is a shared screen rather than the camera. */
  isScreen: boolean;
  isActive: boolean;
}

/** News about the room that comes on the publisher's handle. */
export interface RoomNews {
  /** Publishers that started publishing (the room's publishers at our join, then newcomers). */
  published(feeds: Feed[]): void;
  /** A publisher stopped publishing or left. */
  left(id: string): void;
  /** Janus kicked us, or the room was destroyed. */
  ended(): void;
}

/** Publishers listed in a VideoRoom event (`publishers` of `joined` or `event`). */
export function feedsOf(data: Record<string, unknown>): Feed[] {
  const list = Array.isArray(data.publishers) ? data.publishers : [];
  return list.flatMap((entry: unknown) => {
    if (!isRecord(entry) || (typeof entry.id !== 'string' && typeof entry.id !== 'number')) {
      return [];
    }
    const streams = Array.isArray(entry.streams) ? entry.streams : [];
    const mids = streams.flatMap((stream: unknown) =>
      isRecord(stream) && typeof stream.mid === 'string' && stream.disabled !== true
        ? [stream.mid]
        : [],
    );
    const display = typeof entry.display === 'string' ? entry.display : '';
    return [{ id: String(entry.id), display, mids }];
  });
}

/** The streams a subscriber's `attached` or `updated` event lists. */
export function streamsOf(data: Record<string, unknown>): SubscribedStream[] | null {
  if (!Array.isArray(data.streams)) return null;
  return data.streams.flatMap((entry: unknown) => {
    if (!isRecord(entry) || typeof entry.mid !== 'string') return [];
    const type = entry.type;
    if (type !== 'audio' && type !== 'video' && type !== 'data') return [];
    const feed = entry.feed_id;
    return [
      {
        mid: entry.mid,
        feed: typeof feed === 'string' || typeof feed === 'number' ? String(feed) : '',
        feedMid: typeof entry.feed_mid === 'string' ? entry.feed_mid : '',
        type,
        isScreen: entry.feed_description === SCREEN,
        isActive: entry.active !== false && feed !== undefined,
      },
    ];
  });
}

// Our candidates go to Janus as they come; the last one says gathering is complete.
function trickleFrom(pc: RTCPeerConnection, session: JanusSession, handle: number): void {
  pc.addEventListener('icecandidate', ({ candidate }) =>
    session.trickle(handle, candidate ? candidate.toJSON() : null),
  );
}

/** Our publisher: joins the room under our peer ID and publishes one peer connection. */
export class VideoRoomPublisher {
  private constructor(
    private readonly session: JanusSession,
    readonly handle: number,
    /** Janus's private ID for us, which ties our subscriber to this publisher. */
    readonly privateId: number,
  ) {}

  /**
   * Joins `room` as `id` with the room token; resolves with the publisher and the feeds in the
   * room then (reported to `news` too).
   */
  static async join(
    session: JanusSession,
    ticket: { room: string; roomToken: string },
    id: string,
    news: RoomNews,
  ): Promise<VideoRoomPublisher> {
    const handle = await session.attach(VIDEO_ROOM, {
      event: ({ data }) => {
        if (data.videoroom === 'destroyed') news.ended();
        if (data.videoroom !== 'event') return;
        const feeds = feedsOf(data);
        if (feeds.length > 0) news.published(feeds);
        for (const key of ['unpublished', 'leaving', 'kicked']) {
          const gone = data[key];
          if (gone === 'ok' && key === 'leaving') news.ended();
          else if (typeof gone === 'string' || typeof gone === 'number') {
            if (String(gone) === id) news.ended();
            else news.left(String(gone));
          }
        }
      },
      status: (message) => {
        if (message.janus === 'hangup' || message.janus === 'detached') news.ended();
      },
    });
    const { data } = await session.message(handle, {
      request: 'join',
      ptype: 'publisher',
      room: ticket.room,
      id,
      // Janus shows our display to the other publishers: our peer ID, nothing personal.
      display: id,
      token: ticket.roomToken,
    });
    const publisher = new VideoRoomPublisher(session, handle, Number(data.private_id));
    const feeds = feedsOf(data);
    if (feeds.length > 0) news.published(feeds);
    return publisher;
  }

  /**
   * Publishes what `pc` sends (its transceivers and data channel are set up already); `screen`
   * names the transceiver of a shared screen, if any, so that the others tell it from the camera.
   */
  async publish(pc: RTCPeerConnection, screen?: RTCRtpTransceiver): Promise<void> {
    trickleFrom(pc, this.session, this.handle);
    await this.negotiate(pc, 'publish', screen);
  }

  /** Publishes what `pc` sends now: a screen added or stopped. */
  republish(pc: RTCPeerConnection, screen?: RTCRtpTransceiver): Promise<void> {
    return this.negotiate(pc, 'configure', screen);
  }

  private async negotiate(
    pc: RTCPeerConnection,
    request: 'publish' | 'configure',
    screen: RTCRtpTransceiver | undefined,
  ): Promise<void> {
    await pc.setLocalDescription(await pc.createOffer());
    const mid = screen?.mid;
    const descriptions = mid ? [{ mid, description: SCREEN }] : [];
    const { jsep } = await this.session.message(
      this.handle,
      { request, descriptions },
      pc.localDescription!,
    );
    if (!jsep) throw new Error('Janus gave no answer to our offer');
    await pc.setRemoteDescription(jsep);
  }
}

/** What a layer request for one stream says: which simulcast layer, or nothing at all. */
export interface StreamLayer {
  /** 0 (lowest) to 2 (highest); ignored when `send` is false. */
  substream: number;
  /** Whether Janus relays the stream at all: false pauses it. */
  send: boolean;
}

/** One multistream subscriber: every feed we receive rides on its peer connection. */
export class VideoRoomSubscriber {
  private handle = 0;
  private streams: SubscribedStream[] = [];
  /** Requests and answers, one at a time: Janus may merge or defer offers. */
  private queue: Promise<unknown> = Promise.resolve();
  private hasJoined = false;

  /** `onStreams` hears the streams after every answered offer. */
  constructor(
    private readonly session: JanusSession,
    private readonly room: string,
    private readonly privateId: number,
    private readonly pc: RTCPeerConnection,
    private readonly onStreams: (streams: readonly SubscribedStream[]) => void,
  ) {}

  /** The streams as of the last answered offer. */
  get current(): readonly SubscribedStream[] {
    return this.streams;
  }

  /** Subscribes to streams of publishers (the first call joins as a subscriber). */
  subscribe(
    streams: ReadonlyArray<{ feed: string; mid: string }>,
    roomToken: string,
  ): Promise<void> {
    return this.enqueue(async () => {
      if (this.hasJoined) {
        await this.answer(
          await this.session.message(this.handle, { request: 'update', subscribe: streams }),
        );
        return;
      }
      this.handle = await this.session.attach(VIDEO_ROOM, {
        // An offer of Janus's own accord: a feed we receive went away, or a deferred update.
        event: (event) => {
          if (event.jsep) void this.enqueue(() => this.answer(event));
        },
      });
      trickleFrom(this.pc, this.session, this.handle);
      const joined = await this.session.message(this.handle, {
        request: 'join',
        ptype: 'subscriber',
        room: this.room,
        private_id: this.privateId,
        streams,
        token: roomToken,
      });
      this.hasJoined = true;
      await this.answer(joined);
    });
  }

  /** Stops receiving some publishers' streams (every one of a publisher without `mid`). */
  unsubscribe(streams: ReadonlyArray<{ feed: string; mid?: string }>): Promise<void> {
    if (streams.length === 0 || !this.hasJoined) return Promise.resolve();
    return this.enqueue(async () => {
      const unsubscribe = [...streams];
      await this.answer(
        await this.session.message(this.handle, { request: 'update', unsubscribe }),
      );
    });
  }

  /** Asks for a layer of some streams (by our `mid`), or pauses them. */
  configure(layers: ReadonlyMap<string, StreamLayer>): Promise<void> {
    if (layers.size === 0) return Promise.resolve();
    return this.enqueue(async () => {
      const streams = [...layers].map(([mid, { substream, send }]) =>
        send ? { mid, send, substream } : { mid, send },
      );
      await this.session.message(this.handle, { request: 'configure', streams });
    });
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async answer({ data, jsep }: PluginEvent): Promise<void> {
    const streams = streamsOf(data);
    if (streams) this.streams = streams;
    if (jsep?.type === 'offer') {
      await this.pc.setRemoteDescription(jsep);
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      await this.session.message(this.handle, { request: 'start' }, this.pc.localDescription!);
    }
    if (streams || jsep) this.onStreams(this.streams);
  }
}
