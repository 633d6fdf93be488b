import { expect } from '@open-wc/testing';
import {
  JanusError,
  JanusSession,
  KEEPALIVE_MS,
  REQUEST_TIMEOUT_MS,
  type PluginEvent,
} from '../../../src/sfu/janus-session.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeJanusSocket, settle } from '../support/fake-janus.js';

/** The JanusError `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<JanusError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(JanusError);
    return error as JanusError;
  }
  throw new Error('expected a rejection');
}

/** A session connected through a fake socket, its `create` answered with session 7. */
async function connected(clock = new FakeClock()) {
  let socket!: FakeJanusSocket;
  const connecting = JanusSession.connect('ws://janus.test', {
    token: 'token-1',
    clock,
    openSocket: (url) => (socket = new FakeJanusSocket(url)),
  });
  socket.open();
  await settle();
  socket.answer('create', { janus: 'success', data: { id: 7 } });
  const session = await connecting;
  return { session, socket, clock };
}

describe('JanusSession', () => {
  it('creates a session with the token and sends every later request in it, with the token', async () => {
    const { session, socket } = await connected();
    expect(socket.sent[0]).to.include({ janus: 'create', token: 'token-1' });
    const attaching = session.attach('janus.plugin.videoroom', { event: () => undefined });
    await settle();
    expect(socket.last('attach')).to.include({
      plugin: 'janus.plugin.videoroom',
      session_id: 7,
      token: 'token-1',
    });
    socket.answer('attach', { janus: 'success', data: { id: 21 } });
    expect(await attaching).to.equal(21);
  });

  it('resolves a plugin request with the event that follows its ack, SDP included', async () => {
    const { session, socket } = await connected();
    const asking = session.message(21, { request: 'join' });
    await settle();
    socket.answer('join', { janus: 'ack' });
    let answer: PluginEvent | undefined;
    void asking.then((event) => (answer = event));
    await settle();
    expect(answer, 'an ack is not the answer').to.equal(undefined);
    socket.answer('join', {
      janus: 'event',
      sender: 21,
      plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'joined', id: 'a' } },
      jsep: { type: 'offer', sdp: 'v=0' },
    });
    await settle();
    expect(answer?.data).to.deep.equal({ videoroom: 'joined', id: 'a' });
    expect(answer?.jsep).to.deep.equal({ type: 'offer', sdp: 'v=0' });
  });

  it('rejects with the code Janus or the plugin gives', async () => {
    const { session, socket } = await connected();
    const refused = session.message(21, { request: 'join' });
    await settle();
    socket.answer('join', {
      janus: 'event',
      plugindata: { plugin: 'p', data: { error_code: 426, error: 'No such room' } },
    });
    const error = await rejection(refused);
    expect(error.code).to.equal(426);
    const forbidden = session.attach('janus.plugin.videoroom', { event: () => undefined });
    await settle();
    socket.answer('attach', { janus: 'error', error: { code: 403, reason: 'Unauthorized' } });
    expect((await rejection(forbidden)).code).to.equal(403);
  });

  it('routes events Janus sends of its own accord to the handle they are for', async () => {
    const { session, socket } = await connected();
    const events: unknown[] = [];
    const statuses: string[] = [];
    const attaching = session.attach('janus.plugin.videoroom', {
      event: ({ data }) => events.push(data),
      status: ({ janus }) => statuses.push(janus),
    });
    await settle();
    socket.answer('attach', { janus: 'success', data: { id: 21 } });
    await attaching;
    socket.deliver({ janus: 'event', sender: 21, plugindata: { data: { unpublished: 'b' } } });
    socket.deliver({ janus: 'event', sender: 99, plugindata: { data: { unpublished: 'c' } } });
    socket.deliver({ janus: 'webrtcup', sender: 21 });
    socket.deliver({ janus: 'hangup', sender: 21, reason: 'DTLS alert' });
    expect(events).to.deep.equal([{ unpublished: 'b' }]);
    expect(statuses).to.deep.equal(['webrtcup', 'hangup']);
  });

  it('keeps the session alive, with the renewed token once renewed', async () => {
    const { session, socket, clock } = await connected();
    clock.tick(KEEPALIVE_MS);
    expect(socket.last('keepalive')).to.include({ session_id: 7, token: 'token-1' });
    session.setToken('token-2');
    clock.tick(KEEPALIVE_MS);
    expect(socket.sent.filter((frame) => frame.janus === 'keepalive')).to.have.length(2);
    expect(socket.last('keepalive')).to.include({ token: 'token-2' });
  });

  it('trickles candidates, then says gathering is complete', async () => {
    const { session, socket } = await connected();
    session.trickle(21, { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0' });
    session.trickle(21, null);
    const trickles = socket.sent.filter((frame) => frame.janus === 'trickle');
    expect(trickles.map((frame) => frame.handle_id)).to.deep.equal([21, 21]);
    expect(trickles[1].candidate).to.deep.equal({ completed: true });
  });

  it('fails a request Janus does not answer, and every pending one when the socket drops', async () => {
    const { session, socket, clock } = await connected();
    const unanswered = session.message(21, { request: 'configure' });
    clock.tick(REQUEST_TIMEOUT_MS);
    expect(await rejection(unanswered)).to.be.instanceOf(JanusError);
    let isClosed = false;
    session.onClose(() => (isClosed = true));
    const pending = session.message(21, { request: 'update' });
    socket.drop();
    expect(await rejection(pending)).to.be.instanceOf(JanusError);
    expect(isClosed).to.equal(true);
    expect(session.closed).to.equal(true);
    clock.tick(KEEPALIVE_MS * 2);
    expect(socket.sent.filter((frame) => frame.janus === 'keepalive')).to.have.length(0);
  });

  it('ends when Janus times the session out, and destroys it when closed on purpose', async () => {
    const first = await connected();
    first.socket.deliver({ janus: 'timeout', session_id: 7 });
    expect(first.session.closed).to.equal(true);
    const second = await connected();
    second.session.close();
    expect(second.socket.last('destroy')).to.include({ session_id: 7 });
    expect(second.socket.isClosed).to.equal(true);
  });

  it('ignores frames that are not Janus messages', async () => {
    const { session, socket } = await connected();
    socket.onmessage?.(new MessageEvent('message', { data: 'not json' }));
    socket.deliver({ nothing: 'here' } as never);
    expect(session.closed).to.equal(false);
  });
});
