import { expect } from '@open-wc/testing';
import type { RoomError } from '../../../src/errors.js';
import { KEEPALIVE_MS } from '../../../src/sfu/janus-session.js';
import { EVERYONE, wrapFrame } from '../../../src/sfu/sfu-frames.js';
import { SfuRoute } from '../../../src/sfu/sfu-route.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeJanusSocket, settle } from '../support/fake-janus.js';

const SELF = 'room-1_self';
const OTHER = 'room-1_other';
const TICKET = { url: 'ws://janus.test', room: 'r', token: 'token-1', roomToken: 'rt' };
const HELLO = (name: string) =>
  JSON.stringify({ v: 1, type: 'hello', name, audio: true, video: true });

/** A data channel as the route uses one; what it sends is kept. */
class FakeChannel {
  readyState = 'open';
  bufferedAmount = 0;
  binaryType = '';
  readonly sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly label: string) {}
  send(data: unknown): void {
    this.sent.push(data);
  }
}

/** A peer connection that negotiates instantly and carries nothing. */
class FakePeerConnection {
  readonly channels: FakeChannel[] = [];
  ondatachannel: ((event: { channel: FakeChannel }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  connectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  isClosed = false;
  addTransceiver(): never {
    throw new Error('no tracks in these tests');
  }
  createDataChannel(label: string): FakeChannel {
    const channel = new FakeChannel(label);
    this.channels.push(channel);
    return channel;
  }
  addEventListener(): void {}
  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: 'offer' };
  }
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: 'answer' };
  }
  async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = description;
  }
  async setRemoteDescription(): Promise<void> {}
  getTransceivers(): RTCRtpTransceiver[] {
    return [];
  }
  async getStats(): Promise<RTCStatsReport> {
    return new Map() as unknown as RTCStatsReport;
  }
  close(): void {
    this.isClosed = true;
  }
}

const pluginEvent = (data: Record<string, unknown>, jsep?: RTCSessionDescriptionInit) => ({
  janus: 'event',
  plugindata: { plugin: 'janus.plugin.videoroom', data },
  ...(jsep ? { jsep } : {}),
});

/** A route connected to a fake Janus where OTHER publishes, its subscription made. */
async function connectedRoute() {
  const clock = new FakeClock();
  const sockets: FakeJanusSocket[] = [];
  const connections: FakePeerConnection[] = [];
  const route = new SfuRoute({
    selfId: SELF,
    hello: () => ({ v: 1, type: 'hello', name: 'Me', audio: true, video: true }),
    media: { outgoing: new MediaStream(), screen: null },
    iceServers: async () => [],
    iceTransportPolicy: 'all',
    clock,
    openSocket: (url) => {
      const socket = new FakeJanusSocket(url);
      sockets.push(socket);
      return socket;
    },
    createPeerConnection: () => {
      const connection = new FakePeerConnection();
      connections.push(connection);
      return connection as unknown as RTCPeerConnection;
    },
  });
  const log: Array<[string, unknown]> = [];
  for (const type of ['ready', 'update', 'gone', 'message', 'error', 'mode'] as const) {
    route.on(type, (payload: unknown) => log.push([type, payload]));
  }
  route.take({ event: 'sfu', ticket: TICKET });
  await settle();
  const socket = sockets[0];
  socket.open();
  await settle();
  socket.answer('create', { janus: 'success', data: { id: 1 } });
  await settle();
  socket.answer('attach', { janus: 'success', data: { id: 10 } });
  await settle();
  socket.answer(
    'join',
    pluginEvent({
      videoroom: 'joined',
      private_id: 5,
      publishers: [{ id: OTHER, streams: [{ mid: '0', type: 'data' }] }],
    }),
  );
  await settle();
  socket.answer('publish', pluginEvent({ configured: 'ok' }, { type: 'answer', sdp: 'a' }));
  await settle();
  await settle();
  socket.answer('attach', { janus: 'success', data: { id: 20 } });
  await settle();
  socket.answer(
    'join',
    pluginEvent(
      {
        videoroom: 'attached',
        streams: [{ mid: '0', type: 'data', feed_id: OTHER, active: true }],
      },
      { type: 'offer', sdp: 'o' },
    ),
  );
  await settle();
  await settle();
  socket.answer('start', pluginEvent({ started: 'ok' }));
  await settle();
  const [publisher, subscriber] = connections;
  /** OTHER's channel on our subscriber, as Janus opens it: labelled with OTHER's ID. */
  const relayed = new FakeChannel(OTHER);
  subscriber.ondatachannel?.({ channel: relayed });
  const deliver = (frame: string | ArrayBuffer, channel = relayed) =>
    channel.onmessage?.({ data: frame });
  return { route, clock, socket, publisher, subscriber, relayed, deliver, log };
}

describe('SfuRoute', () => {
  it('publishes under our peer ID and subscribes to every publisher', async () => {
    const { socket, route, log } = await connectedRoute();
    const publisherJoin = socket.sent.find(
      (frame) => (frame.body as { ptype?: string })?.ptype === 'publisher',
    );
    expect(publisherJoin?.body).to.include({ id: SELF, display: SELF, token: 'rt' });
    expect(socket.last('join').body).to.include({ ptype: 'subscriber', private_id: 5 });
    expect(route.peers.map((peer) => peer.id)).to.deep.equal([OTHER]);
    expect(route.isConnected).to.equal(true);
    expect(log.filter(([type]) => type === 'mode')).to.deep.equal([['mode', 'sfu']]);
  });

  it('takes a hello from the publisher Janus names, answers it, and passes chat on', async () => {
    const { route, publisher, deliver, log } = await connectedRoute();
    const [ownChannel] = publisher.channels;
    deliver(wrapFrame({ from: OTHER, to: EVERYONE, data: HELLO('Other') }));
    expect(log.filter(([type]) => type === 'ready').map(([, peer]) => peer)).to.deep.equal([
      route.peers[0],
    ]);
    expect(route.peers[0].toParticipant().name).to.equal('Other');
    expect(ownChannel.sent.at(-1)).to.equal(
      `${SELF}\n${OTHER}\n${JSON.stringify({ v: 1, type: 'hello', name: 'Me', audio: true, video: true })}`,
    );
    deliver(wrapFrame({ from: OTHER, to: SELF, data: '{"type":"nothing of ours"}' }));
    deliver(wrapFrame({ from: OTHER, to: SELF, data: '{"v":1,"type":"heartbeat"}' }));
    expect(route.send(OTHER, 'hi')).to.equal(true);
    expect(ownChannel.sent.at(-1)).to.equal(`${SELF}\n${OTHER}\nhi`);
  });

  it('drops frames for someone else, and frames whose sender is not the publisher Janus names', async () => {
    const { route, deliver, log } = await connectedRoute();
    deliver(wrapFrame({ from: OTHER, to: 'room-1_third', data: HELLO('Other') }));
    const forged = new FakeChannel('room-1_third');
    deliver(wrapFrame({ from: OTHER, to: EVERYONE, data: HELLO('Forged') }), forged);
    expect(log.some(([type]) => type === 'ready')).to.equal(false);
    expect(route.peers[0].isReady).to.equal(false);
  });

  it('says hello to everyone each second while someone’s is missing', async () => {
    const { clock, publisher, deliver } = await connectedRoute();
    const [ownChannel] = publisher.channels;
    const greetings = () =>
      ownChannel.sent.filter((frame) => String(frame).startsWith(`${SELF}\n*\n`)).length;
    const before = greetings();
    clock.tick(1000);
    clock.tick(1000);
    expect(greetings()).to.equal(before + 2);
    deliver(wrapFrame({ from: OTHER, to: SELF, data: HELLO('Other') }));
    clock.tick(3000);
    expect(greetings()).to.equal(before + 2);
  });

  it('starts a new stream low, not paused, until its tile is drawn; then the tile sets its layer', async () => {
    const { route, socket } = await connectedRoute();
    const configured = () =>
      socket.sent
        .filter((frame) => (frame.body as { request?: string })?.request === 'configure')
        .map((frame) => (frame.body as { streams: unknown }).streams);
    socket.deliver({
      ...pluginEvent(
        {
          videoroom: 'updated',
          streams: [
            { mid: '0', type: 'data', feed_id: OTHER, active: true },
            { mid: '1', type: 'video', feed_id: OTHER, feed_mid: '1', active: true },
          ],
        },
        { type: 'offer', sdp: 'o2' },
      ),
      sender: 20,
    });
    await settle();
    await settle();
    socket.answer('start', pluginEvent({ started: 'ok' }));
    await settle();
    expect(configured()).to.deep.equal([[{ mid: '1', send: true, substream: 0 }]]);
    const answerConfigure = async () => {
      socket.answer('configure', pluginEvent({ configured: 'ok' }));
      await settle();
    };
    await answerConfigure();
    route.showTiles([
      { tile: { kind: 'participant', id: OTHER }, rect: { width: 600, height: 338 } },
    ]);
    await answerConfigure();
    route.showTiles([]);
    await answerConfigure();
    expect(configured().slice(1)).to.deep.equal([
      [{ mid: '1', send: true, substream: 2 }],
      [{ mid: '1', send: false }],
    ]);
  });

  it('renews the token in place, and reports a lost Janus once, keeping the peers', async () => {
    const { route, clock, socket, subscriber, log } = await connectedRoute();
    route.take({ event: 'sfu', ticket: { ...TICKET, token: 'token-2' } });
    clock.tick(KEEPALIVE_MS);
    expect(socket.last('keepalive').token).to.equal('token-2');
    socket.drop();
    route.take({ event: 'sfu-lost' });
    const errors = log.filter(([type]) => type === 'error').map(([, e]) => (e as RoomError).code);
    expect(errors).to.deep.equal(['sfu-lost']);
    expect(subscriber.isClosed).to.equal(true);
    expect(route.peers[0].toParticipant().connection?.state).to.equal('reconnecting');
    expect(log.some(([type]) => type === 'gone')).to.equal(false);
  });

  it('closes the Janus session it opened when the ICE servers cannot be had, and says so once', async () => {
    const sockets: FakeJanusSocket[] = [];
    const route = new SfuRoute({
      selfId: SELF,
      hello: () => ({ v: 1, type: 'hello', name: 'Me', audio: true, video: true }),
      media: { outgoing: new MediaStream(), screen: null },
      iceServers: () => Promise.reject(new Error('the server is away')),
      iceTransportPolicy: 'all',
      clock: new FakeClock(),
      openSocket: (url) => {
        const socket = new FakeJanusSocket(url);
        sockets.push(socket);
        return socket;
      },
      createPeerConnection: () => new FakePeerConnection() as unknown as RTCPeerConnection,
    });
    const errors: string[] = [];
    route.on('error', (error) => errors.push(error.code));
    route.take({ event: 'sfu', ticket: TICKET });
    await settle();
    sockets[0].open();
    await settle();
    sockets[0].answer('create', { janus: 'success', data: { id: 1 } });
    await settle();
    await settle();
    expect(sockets[0].isClosed).to.equal(true);
    expect(errors).to.deep.equal(['sfu-lost']);
    expect(route.isConnected).to.equal(false);
  });
});
