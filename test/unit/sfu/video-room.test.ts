import { expect } from '@open-wc/testing';
import { JanusSession } from '../../../src/sfu/janus-session.js';
import {
  VideoRoomSubscriber,
  feedsOf,
  streamsOf,
  type SubscribedStream,
} from '../../../src/sfu/video-room.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeJanusSocket, settle } from '../support/fake-janus.js';

/** The subscriber's peer connection, as far as the subscriber uses one: it logs each step. */
class FakePeerConnection {
  readonly log: string[] = [];
  localDescription: RTCSessionDescriptionInit | null = null;
  addEventListener(): void {}
  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.log.push(`remote ${description.sdp}`);
    // A moment of its own, as a browser takes one.
    await settle();
  }
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: `answer to ${this.log.at(-1)?.slice(7)}` };
  }
  async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = description;
    this.log.push(`local ${description.sdp}`);
  }
}

async function connected() {
  let socket!: FakeJanusSocket;
  const connecting = JanusSession.connect('ws://janus.test', {
    token: 'token',
    clock: new FakeClock(),
    openSocket: (url) => (socket = new FakeJanusSocket(url)),
  });
  socket.open();
  await settle();
  socket.answer('create', { janus: 'success', data: { id: 7 } });
  return { session: await connecting, socket };
}

const stream = (mid: string, feed: string, type = 'video') => ({
  mid,
  feed_id: feed,
  type,
  active: true,
});

const event = (data: Record<string, unknown>, sdp?: string) => ({
  janus: 'event',
  sender: 30,
  plugindata: { plugin: 'janus.plugin.videoroom', data },
  ...(sdp ? { jsep: { type: 'offer', sdp } } : {}),
});

describe('VideoRoom', () => {
  it('reads the publishers and the streams Janus lists, skipping what is malformed', () => {
    expect(
      feedsOf({
        publishers: [
          {
            id: 'a',
            display: 'a',
            streams: [{ mid: '0' }, { mid: '2', disabled: true }, { mid: '3' }, { type: 'x' }],
          },
          { id: 7 },
          { display: 'no id' },
          'x',
        ],
      }),
    ).to.deep.equal([
      { id: 'a', display: 'a', mids: ['0', '3'] },
      { id: '7', display: '', mids: [] },
    ]);
    expect(feedsOf({})).to.deep.equal([]);
    expect(
      streamsOf({
        streams: [
          stream('0', 'a', 'audio'),
          { ...stream('4', 'a'), feed_mid: '3', feed_description: 'screen' },
          { mid: '1', type: 'video', active: false },
          { mid: '2', type: 'screen', feed_id: 'a' },
          { type: 'data' },
        ],
      }),
    ).to.deep.equal([
      { mid: '0', feed: 'a', feedMid: '', type: 'audio', isScreen: false, isActive: true },
      { mid: '4', feed: 'a', feedMid: '3', type: 'video', isScreen: true, isActive: true },
      { mid: '1', feed: '', feedMid: '', type: 'video', isScreen: false, isActive: false },
    ]);
    expect(streamsOf({ videoroom: 'event' })).to.equal(null);
  });

  it('joins as a subscriber with the feeds, then answers each offer in turn, a deferred one too', async () => {
    const { session, socket } = await connected();
    const pc = new FakePeerConnection();
    const heard: Array<readonly SubscribedStream[]> = [];
    const subscriber = new VideoRoomSubscriber(
      session,
      'room',
      99,
      pc as unknown as RTCPeerConnection,
      (streams) => heard.push(streams),
    );
    const subscribing = subscriber.subscribe([{ feed: 'a', mid: '1' }], 'room-token');
    await settle();
    socket.answer('attach', { janus: 'success', data: { id: 30 } });
    await settle();
    expect(socket.last('join').body).to.deep.equal({
      request: 'join',
      ptype: 'subscriber',
      room: 'room',
      private_id: 99,
      streams: [{ feed: 'a', mid: '1' }],
      token: 'room-token',
    });
    socket.answer('join', event({ videoroom: 'attached', streams: [stream('0', 'a')] }, 'offer-1'));
    // Janus offers again of its own accord before our answer to the first is out.
    socket.deliver(
      event({ videoroom: 'updated', streams: [stream('0', 'a'), stream('1', 'b')] }, 'offer-2'),
    );
    await settle();
    await settle();
    expect(pc.log).to.deep.equal(['remote offer-1', 'local answer to offer-1']);
    socket.answer('start', { janus: 'event', plugindata: { data: { started: 'ok' } } });
    await subscribing;
    await settle();
    await settle();
    expect(pc.log.slice(2)).to.deep.equal(['remote offer-2', 'local answer to offer-2']);
    expect(socket.last('start').jsep).to.deep.equal({ type: 'answer', sdp: 'answer to offer-2' });
    socket.answer('start', { janus: 'event', plugindata: { data: { started: 'ok' } } });
    await settle();
    expect(heard.map((streams) => streams.map((s) => s.feed))).to.deep.equal([['a'], ['a', 'b']]);
    expect(subscriber.current.map((s) => s.mid)).to.deep.equal(['0', '1']);
  });

  it('asks for a layer per stream, or pauses it', async () => {
    const { session, socket } = await connected();
    const subscriber = new VideoRoomSubscriber(
      session,
      'room',
      99,
      new FakePeerConnection() as unknown as RTCPeerConnection,
      () => undefined,
    );
    const configuring = subscriber.configure(
      new Map([
        ['1', { substream: 2, send: true }],
        ['3', { substream: 0, send: false }],
      ]),
    );
    await settle();
    expect(socket.last('configure').body).to.deep.equal({
      request: 'configure',
      streams: [
        { mid: '1', send: true, substream: 2 },
        { mid: '3', send: false },
      ],
    });
    socket.answer('configure', { janus: 'event', plugindata: { data: { configured: 'ok' } } });
    await configuring;
  });
});
