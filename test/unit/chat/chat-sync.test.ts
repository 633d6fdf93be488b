import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { ChatMessage, ChatRoom } from '../../../src/chat/chat-room.js';
import { FakeClock } from '../support/fake-clock.js';
import { chatFrameOf } from '../support/frames.js';
import { ChatMesh } from './support/chat-mesh.js';

const ADA = 'room-1_aaaa';
const BOB = 'room-1_bbbb';
const CY = 'room-1_cccc';
const DEE = 'room-1_dddd';
const DIGEST_MS = 1_000;
const TIMEOUT_MS = 3_000;
const FAST_SENDING = { sendRate: { perSecond: 1e6, burst: 1e6 } };

const texts = (room: ChatRoom) => room.messages.map((m) => m.text);
const ids = (room: ChatRoom) => room.messages.map((m) => m.id);

/** Every message event a room fires. */
function watch(room: ChatRoom): ChatMessage[] {
  const seen: ChatMessage[] = [];
  room.on('message', (message) => seen.push(message));
  return seen;
}

describe('chat sync', () => {
  let clock: FakeClock;
  let mesh: ChatMesh;

  beforeEach(() => {
    clock = new FakeClock();
    mesh = new ChatMesh(
      { digestIntervalMs: DIGEST_MS, historyTimeoutMs: TIMEOUT_MS, ...FAST_SENDING },
      clock,
    );
  });

  afterEach(() => mesh.dispose());

  function trio() {
    const rooms = [mesh.add(ADA, 'Ada'), mesh.add(BOB, 'Bob'), mesh.add(CY, 'Cy')];
    mesh.connect(ADA, BOB);
    mesh.connect(ADA, CY);
    mesh.connect(BOB, CY);
    clock.tick(0);
    return rooms;
  }

  const wantsFrom = (from: string) =>
    mesh.sent
      .filter((f) => f.from === from && typeof f.data === 'string')
      .filter((f) => chatFrameOf(f.data)?.type === 'want')
      .map((f) => f.to);

  it('keeps a message pending while nobody is reachable, and delivers it once someone is', async () => {
    const ada = mesh.add(ADA, 'Ada');
    const bob = mesh.add(BOB, 'Bob');
    const sent = await ada.sendText('anyone here?');
    expect(sent).to.deep.include({ text: 'anyone here?', delivery: 'pending', isOwn: true });
    expect(ada.messages[0].delivery).to.equal('pending');
    mesh.connect(ADA, BOB);
    clock.tick(0);
    expect(texts(bob)).to.deep.equal(['anyone here?']);
    expect(bob.messages[0]).to.deep.include({ id: sent.id, senderId: ADA, isOwn: false });
    expect(ada.messages[0].delivery).to.equal('sent');
  });

  it('resolves a message as sent when it is on a reachable peer’s channel', async () => {
    const [ada] = trio();
    const sent = await ada.sendText('hello');
    expect(sent.delivery).to.equal('sent');
  });

  it('brings a visitor back to the same messages in the same order, each once, both ways', async () => {
    const [ada, bob, cy] = trio();
    const seen = [ada, bob, cy].map(watch);
    await ada.sendText('before');
    clock.tick(0);
    mesh.disconnect(CY, ADA);
    mesh.disconnect(CY, BOB);
    await ada.sendText('while Cy was away');
    await bob.sendText('still away?');
    const offline = await cy.sendText('is anyone there?');
    expect(offline.delivery).to.equal('pending');
    clock.tick(5_000);
    mesh.connect(CY, ADA);
    mesh.connect(CY, BOB);
    clock.tick(0);
    for (const room of [bob, cy]) expect(ids(room)).to.deep.equal(ids(ada));
    expect(texts(ada)).to.have.members([
      'before',
      'while Cy was away',
      'still away?',
      'is anyone there?',
    ]);
    for (const events of seen) {
      expect(new Set(events.map((m) => m.id)).size).to.equal(events.length);
    }
    expect(cy.messages.find((m) => m.id === offline.id)?.delivery).to.equal('sent');
    // One live before the drop, two caught up after it (Cy's own do not count).
    expect(cy.unread).to.equal(3);
  });

  it('heals a message whose author left after reaching only some of the room', async () => {
    const [ada, bob, cy] = trio();
    mesh.disconnect(ADA, CY);
    await ada.sendText('only Bob hears this live');
    clock.tick(0);
    mesh.disconnect(ADA, BOB);
    ada.dispose();
    expect(texts(bob)).to.deep.equal(['only Bob hears this live']);
    expect(texts(cy), 'not yet: Bob and Cy were linked all along').to.deep.equal([]);
    clock.tick(DIGEST_MS);
    expect(texts(cy)).to.deep.equal(['only Bob hears this live']);
    expect(cy.messages[0]).to.deep.include({ senderId: ADA, senderName: 'Ada', isHistory: true });
  });

  it('asks another peer that has a message when the one asked stays silent', async () => {
    const ada = mesh.add(ADA, 'Ada');
    const bob = mesh.add(BOB, 'Bob');
    mesh.connect(ADA, BOB);
    await ada.sendText('one');
    await bob.sendText('two');
    clock.tick(0);
    const cy = mesh.add(CY, 'Cy');
    mesh.muted.add(ADA);
    mesh.connect(CY, ADA);
    // Ada says she has the messages, and then nothing more arrives from her.
    const summary = { v: 1, type: 'sync', ids: ids(ada), done: true };
    mesh.inject(ADA, CY, JSON.stringify(summary));
    mesh.connect(CY, BOB);
    clock.tick(0);
    expect(texts(cy)).to.deep.equal([]);
    expect(wantsFrom(CY)).to.deep.equal([ADA]);
    clock.tick(TIMEOUT_MS);
    expect(texts(cy)).to.deep.equal(['one', 'two']);
    expect(wantsFrom(CY)).to.deep.equal([ADA, BOB]);
    expect(cy.droppedCounts.timeout).to.equal(1);
  });

  it('stays quiet once two peers agree: only digests pass', async () => {
    const [ada] = trio();
    await ada.sendText('settled');
    clock.tick(DIGEST_MS * 2);
    const before = mesh.sent.length;
    clock.tick(DIGEST_MS * 5);
    const types = mesh.sent
      .slice(before)
      .map((f) => (typeof f.data === 'string' ? chatFrameOf(f.data)?.type : 'binary'));
    expect(types.length).to.be.above(0);
    expect(new Set(types)).to.deep.equal(new Set(['digest']));
  });

  it('converges whatever links drop and return while everyone writes (property)', async () => {
    const people = [ADA, BOB, CY, DEE];
    const pairs = people.flatMap((a, i) => people.slice(i + 1).map((b) => [a, b] as const));
    const step = fc.oneof(
      fc.record({ kind: fc.constant('send' as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant('toggle' as const), pair: fc.nat(pairs.length - 1) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 2_500 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const run = new FakeClock();
        const world = new ChatMesh(
          { digestIntervalMs: DIGEST_MS, historyTimeoutMs: TIMEOUT_MS, ...FAST_SENDING },
          run,
        );
        try {
          const rooms = people.map((id) => world.add(id, id));
          const written = new Set<string>();
          let n = 0;
          for (const s of steps) {
            if (s.kind === 'send') {
              written.add((await rooms[s.who].sendText(`m${n++}`)).id);
            } else if (s.kind === 'toggle') {
              const [a, b] = pairs[s.pair];
              if (world.isLinked(a, b)) world.disconnect(a, b);
              else world.connect(a, b);
            } else {
              run.tick(s.ms);
            }
          }
          for (const [a, b] of pairs) if (!world.isLinked(a, b)) world.connect(a, b);
          run.tick(DIGEST_MS * 3 + TIMEOUT_MS);
          const reference = ids(rooms[0]);
          expect(new Set(reference)).to.deep.equal(written, 'no message lost');
          expect(reference).to.have.length(written.size, 'no message twice');
          for (const room of rooms) expect(ids(room)).to.deep.equal(reference, 'same order');
          for (const room of rooms) {
            expect(room.messages.filter((m) => m.delivery !== 'sent')).to.deep.equal([]);
          }
        } finally {
          world.dispose();
        }
      }),
      { numRuns: 60, seed: 10 },
    );
  });
});
