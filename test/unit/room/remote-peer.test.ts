import { expect } from '@open-wc/testing';
import {
  PROTOCOL_VERSION,
  encodeMessage,
  type HelloMessage,
} from '../../../src/protocol/messages.js';
import { RemotePeer, type RemotePeerEvents } from '../../../src/room/remote-peer.js';
import { FakeLink } from '../support/fake-transport.js';

const OWN_HELLO: HelloMessage = {
  v: PROTOCOL_VERSION,
  type: 'hello',
  name: 'Me',
  audio: true,
  video: false,
};

function peerWithLog(): {
  link: FakeLink;
  peer: RemotePeer;
  events: Array<[keyof RemotePeerEvents, unknown]>;
} {
  const link = new FakeLink('room1234_a', true);
  const peer = new RemotePeer(link, () => OWN_HELLO);
  const events: Array<[keyof RemotePeerEvents, unknown]> = [];
  peer.on('ready', () => events.push(['ready', undefined]));
  peer.on('update', () => events.push(['update', undefined]));
  peer.on('gone', (payload) => events.push(['gone', payload]));
  return { link, peer, events };
}

const helloFrom = (name: string): string => encodeMessage({ ...OWN_HELLO, name });

describe('RemotePeer', () => {
  it('counts and drops every malformed message, staying as it was', () => {
    const { link, peer, events } = peerWithLog();
    link.fire('message', helloFrom('Grace'));
    const junk: unknown[] = [
      7,
      undefined,
      { type: 'bye' },
      'not json',
      '{"v":1}',
      '{"v":1,"type":"hello","name":"x","audio":"yes","video":true}',
      '{"v":9,"type":"bye"}',
    ];
    for (const raw of junk) link.fire('message', raw);
    expect(peer.droppedMessages).to.equal(junk.length);
    expect(events).to.deep.equal([['ready', undefined]]);
    expect(peer.toParticipant().name).to.equal('Grace');
    expect(link.isClosed).to.equal(false);
  });

  it('is not ready, and not counted as dropping, before any message', () => {
    const { peer } = peerWithLog();
    expect(peer.isReady).to.equal(false);
    expect(peer.droppedMessages).to.equal(0);
    expect(peer.toParticipant()).to.deep.include({ name: '', hasAudio: false, hasVideo: false });
  });

  it('keeps a stream that arrives before the hello, and reports a new one after it', () => {
    const { link, peer, events } = peerWithLog();
    const first = new MediaStream();
    const second = new MediaStream();
    link.fire('stream', first);
    expect(events).to.deep.equal([]);
    link.fire('message', helloFrom('Grace'));
    expect(peer.toParticipant().stream).to.equal(first);
    link.fire('stream', first);
    link.fire('stream', second);
    expect(events.map(([type]) => type)).to.deep.equal(['ready', 'update']);
    expect(peer.toParticipant().stream).to.equal(second);
  });

  it('is gone once, as having left, after bye', () => {
    const { link, events } = peerWithLog();
    link.fire('message', helloFrom('Grace'));
    link.fire('message', encodeMessage({ v: PROTOCOL_VERSION, type: 'bye' }));
    link.fire('close', undefined);
    link.fire('message', encodeMessage({ v: PROTOCOL_VERSION, type: 'bye' }));
    expect(events).to.deep.equal([
      ['ready', undefined],
      ['gone', 'left'],
    ]);
    expect(link.isClosed).to.equal(true);
  });

  it('is gone as closed when the link of a ready peer closes', () => {
    const { link, events } = peerWithLog();
    link.fire('message', helloFrom('Grace'));
    link.close();
    expect(events.at(-1)).to.deep.equal(['gone', 'closed']);
  });

  it('is gone as failed when its link closes before any hello', () => {
    const { link, events } = peerWithLog();
    link.close();
    expect(events).to.deep.equal([['gone', 'failed']]);
  });

  it('is gone as failed when its connection fails', () => {
    const { link, events } = peerWithLog();
    link.fire('message', helloFrom('Grace'));
    link.fire('state', 'failed');
    expect(events.at(-1)).to.deep.equal(['gone', 'failed']);
    expect(link.isClosed).to.equal(true);
  });

  it('sends bye before closing when leaving', () => {
    const { link, peer, events } = peerWithLog();
    peer.leave();
    expect(link.sentMessages).to.deep.equal([{ v: PROTOCOL_VERSION, type: 'bye' }]);
    expect(link.isClosed).to.equal(true);
    expect(events).to.deep.equal([['gone', 'left']]);
  });
});
