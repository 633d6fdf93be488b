import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { ChatMessage, ChatRoom, DropReason } from '../../../src/chat/chat-room.js';
import {
  CHUNK_PAYLOAD_BYTES,
  encodeChunk,
  MAX_TEXT_LENGTH,
} from '../../../src/protocol/chat-messages.js';
import type { TransfersModule } from '../../../src/chat/transfer-gate.js';
import * as transfersChunk from '../../../src/chat/transfers.js';
import { FakeClock } from '../support/fake-clock.js';
import { chatFrameOf } from '../support/frames.js';
import { ChatMesh, settle } from './support/chat-mesh.js';
import { HTML_TEXT, pngLike, sameBytes, SVG_TEXT } from './support/images.js';

const MiB = 1024 * 1024;
const ADA = 'room-1_aaaa';
const BOB = 'room-1_bbbb';
const CY = 'room-1_cccc';
const MAL = 'room-1_mmmm';

const uuid = () => crypto.randomUUID();
const chatFrame = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, type: 'chat', id: uuid(), clock: 1, text: 'hi', ...fields });
const pictureFrame = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    v: 1,
    type: 'picture',
    id: uuid(),
    clock: 1,
    transfer: 1,
    mime: 'image/png',
    size: 1000,
    ...fields,
  });

/** Every message event a room fires, and every drop. */
function watch(room: ChatRoom) {
  const messages: ChatMessage[] = [];
  const dropped: DropReason[] = [];
  room.on('message', (m) => messages.push(m));
  room.on('dropped', ({ reason }) => dropped.push(reason));
  return { messages, dropped };
}

async function bytesAt(url: string | null | undefined): Promise<Uint8Array> {
  if (!url) throw new Error('no URL');
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

const texts = (room: ChatRoom) => room.messages.map((m) => m.text ?? `[${m.kind}]`);

/** The transfers chunk loaded by hand: each load waits until the test ends it. */
class ChunkLoads {
  readonly pending: Array<{ succeed(): void; fail(): void }> = [];

  readonly load = (): Promise<TransfersModule> =>
    new Promise((resolve, reject) => {
      this.pending.push({
        succeed: () => resolve(transfersChunk),
        fail: () => reject(new TypeError('Failed to fetch dynamically imported module')),
      });
    });
}

describe('ChatRoom', () => {
  let mesh: ChatMesh;

  beforeEach(() => {
    mesh = new ChatMesh({
      pollMs: 1,
      transferIdleTimeoutMs: 150,
      historyTimeoutMs: 100,
      digestIntervalMs: 50,
    });
  });

  afterEach(() => mesh.dispose());

  /** Chat and picture frames and chunks a room sent (not history traffic). */
  function messageFramesFrom(id: string) {
    return mesh.sent.filter(
      (f) =>
        f.from === id &&
        (typeof f.data !== 'string' ||
          ['chat', 'picture'].includes(chatFrameOf(f.data)?.type ?? '')),
    );
  }

  function trio() {
    const ada = mesh.add(ADA, 'Ada');
    const bob = mesh.add(BOB, 'Bob');
    const cy = mesh.add(CY, 'Cy');
    mesh.connect(ADA, BOB);
    mesh.connect(ADA, CY);
    mesh.connect(BOB, CY);
    return { ada, bob, cy };
  }

  describe('text', () => {
    it('reaches everyone, with the sender’s name, marked own only for the sender', async () => {
      const { ada, bob, cy } = trio();
      const sent = await ada.sendText('hello room');
      expect(sent).to.deep.include({
        text: 'hello room',
        isOwn: true,
        senderId: ADA,
        senderName: 'Ada',
      });
      await waitUntil(() => bob.messages.length === 1 && cy.messages.length === 1);
      for (const room of [bob, cy]) {
        expect(room.messages[0]).to.deep.include({
          id: sent.id,
          text: 'hello room',
          senderId: ADA,
          senderName: 'Ada',
          isOwn: false,
          isHistory: false,
          kind: 'text',
        });
      }
      expect(ada.messages[0].isOwn).to.equal(true);
    });

    it('puts messages written at the same time in the same order in every room', async () => {
      const { ada, bob, cy } = trio();
      await Promise.all([
        ada.sendText('from Ada'),
        bob.sendText('from Bob'),
        cy.sendText('from Cy'),
      ]);
      await waitUntil(() => [ada, bob, cy].every((room) => room.messages.length === 3));
      expect(texts(bob)).to.deep.equal(texts(ada));
      expect(texts(cy)).to.deep.equal(texts(ada));
      await bob.sendText('reply');
      await waitUntil(() => [ada, cy].every((room) => room.messages.length === 4));
      expect(texts(ada).at(-1)).to.equal('reply');
      expect(texts(cy)).to.deep.equal(texts(ada));
    });

    it('takes the sender from the link and the name from its hello, never from the frame', () => {
      const { bob } = trio();
      mesh.names.set(ADA, 'Ada Lovelace');
      mesh.inject(
        ADA,
        BOB,
        chatFrame({ senderId: CY, senderName: 'Cy', from: CY, name: 'Cy', isOwn: true }),
      );
      expect(bob.messages[0]).to.deep.include({
        senderId: ADA,
        senderName: 'Ada Lovelace',
        isOwn: false,
      });
    });

    it('keeps HTML and script as text', async () => {
      const { ada, bob } = trio();
      await ada.sendText('<script>alert(1)</script><img src=x onerror=alert(2)>');
      await waitUntil(() => bob.messages.length === 1);
      expect(bob.messages[0].text).to.equal(
        '<script>alert(1)</script><img src=x onerror=alert(2)>',
      );
    });

    it('refuses to send text over the limit, or nothing at all, and sends nothing', async () => {
      const { ada } = trio();
      let error = await ada.sendText('x'.repeat(MAX_TEXT_LENGTH + 1)).catch((e: unknown) => e);
      expect(error).to.deep.include({ name: 'RoomError', code: 'chat-too-long' });
      error = await ada.sendText(' \n\t ').catch((e: unknown) => e);
      expect(error).to.deep.include({ code: 'chat-empty' });
      expect(messageFramesFrom(ADA)).to.have.length(0);
      expect(ada.messages).to.have.length(0);
    });

    it('sends text exactly at the limit', async () => {
      const { ada, bob } = trio();
      await ada.sendText('y'.repeat(MAX_TEXT_LENGTH));
      await waitUntil(() => bob.messages.length === 1);
      expect(bob.messages[0].text).to.have.length(MAX_TEXT_LENGTH);
    });

    it('drops text over the limit on receipt and counts it', () => {
      const { bob } = trio();
      const seen = watch(bob);
      expect(mesh.inject(ADA, BOB, chatFrame({ text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }))).to.equal(
        true,
      );
      expect(bob.messages).to.have.length(0);
      expect(seen.dropped).to.deep.equal(['malformed']);
      expect(bob.droppedCounts.malformed).to.equal(1);
    });

    it('drops a flood from one peer and counts it, while another peer still gets through', async () => {
      const { bob, cy } = trio();
      for (let i = 0; i < 200; i++)
        mesh.inject(ADA, BOB, chatFrame({ clock: i + 1, text: `spam ${i}` }));
      expect(bob.messages).to.have.length(20);
      expect(bob.droppedCounts['rate-limited']).to.equal(180);
      await cy.sendText('still here');
      await waitUntil(() => bob.messages.some((m) => m.text === 'still here'));
      expect(bob.messages.filter((m) => m.senderId === CY)).to.have.length(1);
    });

    it('refuses to flood others itself, so peers never drop its messages', async () => {
      const { ada } = trio();
      const results = await Promise.allSettled(
        Array.from({ length: 15 }, (_, i) => ada.sendText(`burst ${i}`)),
      );
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused).to.have.length(5);
      expect((refused[0] as PromiseRejectedResult).reason).to.deep.include({
        code: 'chat-rate-limited',
      });
    });

    it('shows a message ID once, even when it is sent again', () => {
      const { bob } = trio();
      const id = uuid();
      mesh.inject(ADA, BOB, chatFrame({ id, text: 'first' }));
      mesh.inject(ADA, BOB, chatFrame({ id, text: 'again' }));
      mesh.inject(CY, BOB, chatFrame({ id, text: 'from someone else' }));
      expect(texts(bob)).to.deep.equal(['first']);
      expect(bob.droppedCounts.duplicate).to.equal(2);
    });

    it('drops a clock absurdly far ahead, which would sort last forever', () => {
      const { bob } = trio();
      mesh.inject(ADA, BOB, chatFrame({ clock: 2 ** 50 }));
      expect(bob.messages).to.have.length(0);
      expect(bob.droppedCounts.clock).to.equal(1);
    });

    it('counts unread messages from others until marked read', async () => {
      const { ada, bob } = trio();
      let changes = 0;
      bob.on('change', () => changes++);
      await ada.sendText('one');
      await ada.sendText('two');
      await bob.sendText('mine');
      await waitUntil(() => bob.messages.length === 3);
      expect(bob.unread).to.equal(2);
      expect(ada.unread).to.equal(1); // Bob's, not her own two.
      const before = changes;
      bob.markRead();
      expect(bob.unread).to.equal(0);
      expect(changes).to.equal(before + 1);
    });
  });

  describe('frames it does not want', () => {
    it('hands control frames back to the session and keeps its own', () => {
      const { bob } = trio();
      const seen = watch(bob);
      const hello = JSON.stringify({ v: 1, type: 'hello', name: 'x', audio: true, video: false });
      expect(mesh.inject(ADA, BOB, hello)).to.equal(false);
      expect(mesh.inject(ADA, BOB, JSON.stringify({ v: 1, type: 'bye' }))).to.equal(false);
      expect(mesh.inject(ADA, BOB, JSON.stringify({ v: 1, type: 'typing' }))).to.equal(false);
      expect(mesh.inject(ADA, BOB, 'not json')).to.equal(false);
      expect(mesh.inject(ADA, BOB, 42)).to.equal(false);
      expect(seen.dropped).to.deep.equal([]);
    });

    const malformed: Array<[string, unknown]> = [
      ['a chat without an ID', chatFrame({ id: undefined })],
      ['a chat of another version', chatFrame({ v: 2 })],
      ['a picture of an SVG', pictureFrame({ mime: 'image/svg+xml' })],
      [
        'a history with a bad item',
        JSON.stringify({ v: 1, type: 'history', items: [1], done: true }),
      ],
    ];
    for (const [name, frame] of malformed) {
      it(`consumes and counts ${name}`, () => {
        const { bob } = trio();
        expect(mesh.inject(ADA, BOB, frame)).to.equal(true);
        expect(bob.droppedCounts.malformed).to.equal(1);
        expect(bob.messages).to.have.length(0);
      });
    }

    const garbage: Array<[string, unknown]> = [
      ['random bytes', crypto.getRandomValues(new Uint8Array(4096)).buffer],
      ['an empty buffer', new ArrayBuffer(0)],
      ['a typed array of noise', crypto.getRandomValues(new Uint8Array(100))],
      ['a megabyte of zeros', new ArrayBuffer(MiB)],
      ['a Blob', new Blob(['x'])],
      ['a text frame longer than any frame', 'x'.repeat(200_000)],
    ];
    for (const [name, frame] of garbage) {
      it(`consumes and counts binary garbage: ${name}`, () => {
        const { bob } = trio();
        expect(mesh.inject(ADA, BOB, frame)).to.equal(true);
        const total = Object.values(bob.droppedCounts).reduce((a, b) => a + (b ?? 0), 0);
        expect(total).to.equal(1);
        expect(bob.messages).to.have.length(0);
      });
    }

    it('drops a chunk for a transfer nobody announced', () => {
      const { bob } = trio();
      mesh.inject(ADA, BOB, encodeChunk(77, 0, new Uint8Array(10)));
      expect(bob.droppedCounts['unknown-transfer']).to.equal(1);
    });

    it('drops frames from a peer that has not said hello', () => {
      const bob = mesh.add(BOB, 'Bob');
      expect(mesh.inject('room-1_stranger', BOB, chatFrame())).to.equal(true);
      expect(bob.messages).to.have.length(0);
      expect(bob.droppedCounts['unknown-peer']).to.equal(1);
    });
  });

  describe('pictures', () => {
    it('sends a 1 MB picture that arrives byte for byte, with progress on both sides', async () => {
      const { ada, bob } = trio();
      const bytes = await pngLike(MiB);
      const adaProgress: number[] = [];
      const bobProgress: number[] = [];
      ada.on('change', () => adaProgress.push(ada.messages[0]?.picture?.progress ?? -1));
      bob.on('change', () => bobProgress.push(bob.messages[0]?.picture?.progress ?? -1));
      const sent = await ada.sendImage(new File([bytes], 'photo.txt', { type: 'text/plain' }));
      expect(sent.picture).to.deep.include({ type: 'image/png', size: MiB, progress: 1 });
      expect(sameBytes(await bytesAt(sent.picture?.url), bytes)).to.equal(true);
      await waitUntil(() => bob.messages[0]?.picture?.url);
      const received = bob.messages[0];
      expect(received).to.deep.include({
        id: sent.id,
        kind: 'picture',
        senderName: 'Ada',
        isOwn: false,
      });
      expect(received.picture).to.deep.include({ type: 'image/png', size: MiB, progress: 1 });
      expect(sameBytes(await bytesAt(received.picture?.url), bytes)).to.equal(true);
      expect(new Set(adaProgress.filter((p) => p > 0 && p < 1)).size).to.be.above(3);
      expect(new Set(bobProgress.filter((p) => p > 0 && p < 1)).size).to.be.above(3);
      expect(bob.bytesInFlight).to.equal(0);
    });

    it('sends an 8 MB picture to two peers intact', async () => {
      const { ada, bob, cy } = trio();
      const bytes = await pngLike(8 * MiB);
      await ada.sendImage(new Blob([bytes]));
      await waitUntil(() => bob.messages[0]?.picture?.url && cy.messages[0]?.picture?.url, '', {
        timeout: 8000,
      });
      expect(sameBytes(await bytesAt(bob.messages[0].picture?.url), bytes)).to.equal(true);
      expect(sameBytes(await bytesAt(cy.messages[0].picture?.url), bytes)).to.equal(true);
    });

    it('lets text sent during a picture transfer arrive before the picture does', async () => {
      const { ada, bob } = trio();
      const sending = ada.sendImage(new Blob([await pngLike(8 * MiB)]));
      await waitUntil(() => (ada.messages[0]?.picture?.progress ?? 0) > 0);
      await ada.sendText('quick question');
      await waitUntil(() => bob.messages.some((m) => m.text === 'quick question'));
      const picture = bob.messages.find((m) => m.kind === 'picture')?.picture;
      expect(picture?.url).to.equal(null);
      expect(picture?.progress).to.be.below(1);
      await sending;
    });

    it('never queues more than the high-water mark of picture data on a channel', async () => {
      const { ada, bob } = trio();
      let highest = 0;
      const peers = (
        ada as unknown as { options: { peers: { bufferedAmount(id: string): number } } }
      ).options.peers;
      const probe = setInterval(() => (highest = Math.max(highest, peers.bufferedAmount(BOB))), 0);
      await ada.sendImage(new Blob([await pngLike(4 * MiB)]));
      clearInterval(probe);
      await waitUntil(() => bob.messages[0]?.picture?.url);
      expect(highest).to.be.above(0);
      // Picture chunks stop at the mark; a short text frame (a sync digest) is never held back.
      expect(highest).to.be.at.most(256 * 1024 + 1024);
    });

    const notPictures: Array<[string, () => Blob]> = [
      ['an SVG', () => new File([SVG_TEXT], 'x.svg', { type: 'image/svg+xml' })],
      ['an HTML page named .png', () => new File([HTML_TEXT], 'x.png', { type: 'image/png' })],
      ['a text file named .jpg', () => new File(['plain words'], 'x.jpg', { type: 'image/jpeg' })],
      ['an empty file', () => new File([], 'x.png', { type: 'image/png' })],
    ];
    for (const [name, make] of notPictures) {
      it(`refuses to send ${name}`, async () => {
        const { ada } = trio();
        const error = await ada.sendImage(make()).catch((e: unknown) => e);
        expect(error).to.deep.include({ name: 'RoomError', code: 'image-unsupported' });
        expect(messageFramesFrom(ADA)).to.have.length(0);
        expect(ada.messages).to.have.length(0);
      });
    }

    it('refuses to send a picture over the limit', async () => {
      const ada = mesh.add(ADA, 'Ada', { maxImageBytes: MiB });
      mesh.add(BOB, 'Bob');
      mesh.connect(ADA, BOB);
      const error = await ada
        .sendImage(new Blob([await pngLike(MiB + 1)]))
        .catch((e: unknown) => e);
      expect(error).to.deep.include({ code: 'image-too-large' });
      expect(ada.messages).to.have.length(0);
    });

    it('drops a picture over its own limit announced by a peer (a forged frame)', () => {
      mesh.add(ADA, 'Ada');
      const bob = mesh.add(BOB, 'Bob', { maxImageBytes: MiB });
      mesh.connect(ADA, BOB);
      expect(mesh.inject(ADA, BOB, pictureFrame({ size: MiB + 1 }))).to.equal(true);
      expect(bob.messages).to.have.length(0);
      expect(bob.droppedCounts['too-large']).to.equal(1);
      expect(bob.bytesInFlight).to.equal(0);
    });

    it('refuses on receipt a "picture" whose bytes are not one, and frees its memory', async () => {
      const { bob } = trio();
      const html = new TextEncoder().encode(HTML_TEXT);
      mesh.inject(ADA, BOB, pictureFrame({ size: html.byteLength, transfer: 3 }));
      await settle();
      expect(bob.bytesInFlight).to.equal(html.byteLength);
      mesh.inject(ADA, BOB, encodeChunk(3, 0, html));
      expect(bob.messages[0].picture).to.deep.include({ url: null, failed: 'not-an-image' });
      expect(bob.droppedCounts['not-an-image']).to.equal(1);
      expect(bob.bytesInFlight).to.equal(0);
    });

    it('drops a transfer that never finishes after the timeout, and frees its memory', async () => {
      const clock = new FakeClock();
      mesh = new ChatMesh({ transferIdleTimeoutMs: 150 }, clock);
      const { bob } = trio();
      const bytes = await pngLike(MiB);
      mesh.inject(ADA, BOB, pictureFrame({ size: MiB, transfer: 4 }));
      await settle();
      mesh.inject(ADA, BOB, encodeChunk(4, 0, bytes.subarray(0, CHUNK_PAYLOAD_BYTES)));
      expect(bob.bytesInFlight).to.equal(MiB);
      expect(bob.messages[0].picture?.progress).to.be.above(0);
      clock.tick(149);
      expect(bob.bytesInFlight).to.equal(MiB);
      clock.tick(1);
      expect(bob.bytesInFlight).to.equal(0);
      expect(bob.messages[0].picture).to.deep.include({ url: null, failed: 'incomplete' });
      expect(bob.droppedCounts.timeout).to.equal(1);
      // A late chunk finds nothing to add to.
      mesh.inject(
        ADA,
        BOB,
        encodeChunk(4, 1, bytes.subarray(CHUNK_PAYLOAD_BYTES, 2 * CHUNK_PAYLOAD_BYTES)),
      );
      expect(bob.droppedCounts['unknown-transfer']).to.equal(1);
    });

    it('bounds what one peer can make it hold, whatever it announces', async () => {
      const { bob } = trio();
      for (let t = 1; t <= 10; t++)
        mesh.inject(ADA, BOB, pictureFrame({ size: 8 * MiB, transfer: t, clock: t }));
      await settle();
      expect(bob.bytesInFlight).to.equal(16 * MiB);
      expect(bob.droppedCounts.busy).to.equal(8);
      expect(bob.messages.filter((m) => m.picture?.failed === 'refused')).to.have.length(8);
    });

    it('frees the memory of a peer’s transfers when it leaves', async () => {
      const { bob } = trio();
      mesh.inject(ADA, BOB, pictureFrame({ size: 5000, transfer: 1 }));
      mesh.inject(CY, BOB, pictureFrame({ size: 3000, transfer: 1 }));
      await settle();
      expect(bob.bytesInFlight).to.equal(8000);
      mesh.disconnect(ADA, BOB);
      expect(bob.bytesInFlight).to.equal(3000);
      expect(bob.messages.find((m) => m.senderId === ADA)?.picture?.failed).to.equal('incomplete');
    });

    it('lets go of the oldest pictures past its memory budget', async () => {
      const ada = mesh.add(ADA, 'Ada', { maxImageBytes: MiB, pictureMemoryBytes: 1.5 * MiB });
      const first = await ada.sendImage(new Blob([await pngLike(MiB)]));
      const oldUrl = first.picture?.url ?? '';
      await ada.sendImage(new Blob([await pngLike(MiB)]));
      expect(ada.messages[0].picture).to.deep.include({ url: null, failed: 'unavailable' });
      expect(ada.messages[1].picture?.url).to.be.a('string');
      const error = await fetch(oldUrl).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TypeError);
    });
  });

  describe('while the transfers chunk loads', () => {
    let clock: FakeClock;
    let loads: ChunkLoads;

    beforeEach(() => {
      mesh.dispose();
      clock = new FakeClock();
      loads = new ChunkLoads();
      mesh = new ChatMesh({ transferIdleTimeoutMs: 150 }, clock, loads.load);
    });

    const pictureOf = (room: ChatRoom, id: string) =>
      room.messages.find((m) => m.id === id)?.picture;

    it('hands over offers and chunks that came before it loaded, in the order they came', async () => {
      const { bob } = trio();
      const big = await pngLike(CHUNK_PAYLOAD_BYTES + 500);
      const small = await pngLike(2000);
      const [bigId, smallId] = [uuid(), uuid()];
      mesh.inject(ADA, BOB, pictureFrame({ id: bigId, size: big.byteLength, transfer: 1 }));
      mesh.inject(ADA, BOB, encodeChunk(1, 0, big.subarray(0, CHUNK_PAYLOAD_BYTES)));
      mesh.inject(CY, BOB, pictureFrame({ id: smallId, size: small.byteLength, transfer: 1 }));
      mesh.inject(ADA, BOB, encodeChunk(1, 1, big.subarray(CHUNK_PAYLOAD_BYTES)));
      mesh.inject(CY, BOB, encodeChunk(1, 0, small));
      // The messages are there at once; their bytes wait for the chunk, which loads once.
      expect(bob.messages.map((m) => m.picture)).to.deep.equal([
        { type: 'image/png', size: big.byteLength, url: null, progress: 0 },
        { type: 'image/png', size: small.byteLength, url: null, progress: 0 },
      ]);
      expect(loads.pending).to.have.length(1);
      loads.pending[0].succeed();
      await settle();
      expect(bob.droppedCounts).to.deep.equal({});
      expect(sameBytes(await bytesAt(pictureOf(bob, bigId)?.url), big)).to.equal(true);
      expect(sameBytes(await bytesAt(pictureOf(bob, smallId)?.url), small)).to.equal(true);
      expect(bob.bytesInFlight).to.equal(0);
      expect(loads.pending).to.have.length(1);
    });

    it('measures a stall from when a waiting chunk came, not from when the chunk loaded', async () => {
      const { bob } = trio();
      const bytes = await pngLike(MiB);
      mesh.inject(ADA, BOB, pictureFrame({ size: MiB, transfer: 1 }));
      mesh.inject(ADA, BOB, encodeChunk(1, 0, bytes.subarray(0, CHUNK_PAYLOAD_BYTES)));
      clock.tick(100);
      loads.pending[0].succeed();
      await settle();
      expect(bob.bytesInFlight).to.equal(MiB);
      clock.tick(49);
      expect(bob.bytesInFlight).to.equal(MiB);
      clock.tick(1);
      expect(bob.bytesInFlight).to.equal(0);
      expect(bob.droppedCounts.timeout).to.equal(1);
      expect(bob.messages[0].picture).to.deep.include({ url: null, failed: 'incomplete' });
    });

    it('shows what waited as refused when the load fails, and loads again for the next picture', async () => {
      const { bob } = trio();
      const bytes = await pngLike(2000);
      const [first, second] = [uuid(), uuid()];
      mesh.inject(ADA, BOB, pictureFrame({ id: first, size: bytes.byteLength, transfer: 1 }));
      mesh.inject(ADA, BOB, encodeChunk(1, 0, bytes));
      expect(bob.bytesInFlight).to.be.above(0);
      loads.pending[0].fail();
      await settle();
      expect(pictureOf(bob, first)).to.deep.include({ url: null, failed: 'refused' });
      expect(bob.bytesInFlight).to.equal(0);
      expect(bob.droppedCounts).to.deep.equal({});
      // A chunk nothing waits for is dropped at once, and loads nothing.
      mesh.inject(ADA, BOB, encodeChunk(1, 1, bytes));
      expect(bob.droppedCounts['unknown-transfer']).to.equal(1);
      expect(loads.pending).to.have.length(1);
      mesh.inject(
        ADA,
        BOB,
        pictureFrame({ id: second, size: bytes.byteLength, transfer: 2, clock: 2 }),
      );
      mesh.inject(ADA, BOB, encodeChunk(2, 0, bytes));
      expect(loads.pending).to.have.length(2);
      loads.pending[1].succeed();
      await settle();
      expect(sameBytes(await bytesAt(pictureOf(bob, second)?.url), bytes)).to.equal(true);
      expect(pictureOf(bob, first)?.failed).to.equal('refused');
    });

    it('gives up on a load that hangs once a transfer would have stalled', async () => {
      const { bob } = trio();
      mesh.inject(ADA, BOB, pictureFrame({ size: 5000, transfer: 1 }));
      clock.tick(149);
      expect(bob.messages[0].picture?.failed).to.equal(undefined);
      clock.tick(1);
      await settle();
      expect(bob.messages[0].picture).to.deep.include({ url: null, failed: 'refused' });
      // The late answer changes nothing; the next picture loads again.
      loads.pending[0].succeed();
      await settle();
      expect(bob.messages[0].picture?.failed).to.equal('refused');
      mesh.inject(ADA, BOB, pictureFrame({ size: 5000, transfer: 2, clock: 2 }));
      expect(loads.pending).to.have.length(2);
    });

    it('bounds what peers flood before it loads by the caps of unfinished transfers', async () => {
      mesh.dispose();
      mesh = new ChatMesh(
        { transferIdleTimeoutMs: 150, maxBytesInFlightPerPeer: MiB, maxBytesInFlight: 1.5 * MiB },
        clock,
        loads.load,
      );
      const { bob } = trio();
      mesh.inject(ADA, BOB, pictureFrame({ size: 1000, transfer: 1 }));
      // Tiny chunks count as whole frames (64 KiB): 16 fit under 1 MiB, 24 under 1.5 MiB.
      for (let i = 0; i < 100; i++) mesh.inject(ADA, BOB, encodeChunk(1, i, new Uint8Array(1)));
      expect(bob.bytesInFlight).to.equal(MiB);
      expect(bob.droppedCounts.busy).to.equal(84);
      for (let i = 0; i < 100; i++) mesh.inject(CY, BOB, encodeChunk(9, i, new Uint8Array(1)));
      expect(bob.bytesInFlight).to.equal(1.5 * MiB);
      expect(bob.droppedCounts.busy).to.equal(84 + 92);
      loads.pending[0].succeed();
      await settle();
      // What waited meets the receiver's checks in its turn.
      expect(bob.bytesInFlight).to.equal(0);
      expect(bob.droppedCounts).to.deep.include({ 'bad-chunk': 1, 'unknown-transfer': 15 + 8 });
      expect(bob.messages[0].picture?.failed).to.equal('incomplete');
    });

    it('keeps a picture that came in full before its sender left while it loaded', async () => {
      const { bob } = trio();
      const whole = await pngLike(2000);
      const part = await pngLike(CHUNK_PAYLOAD_BYTES + 10);
      const [wholeId, partId] = [uuid(), uuid()];
      mesh.inject(ADA, BOB, pictureFrame({ id: wholeId, size: whole.byteLength, transfer: 1 }));
      mesh.inject(ADA, BOB, encodeChunk(1, 0, whole));
      mesh.inject(
        ADA,
        BOB,
        pictureFrame({ id: partId, size: part.byteLength, transfer: 2, clock: 2 }),
      );
      mesh.inject(ADA, BOB, encodeChunk(2, 0, part.subarray(0, CHUNK_PAYLOAD_BYTES)));
      mesh.disconnect(ADA, BOB);
      loads.pending[0].succeed();
      await settle();
      expect(sameBytes(await bytesAt(pictureOf(bob, wholeId)?.url), whole)).to.equal(true);
      expect(pictureOf(bob, partId)).to.deep.include({ url: null, failed: 'incomplete' });
      expect(bob.bytesInFlight).to.equal(0);
    });

    it('starts loading when a history entry says its picture follows', () => {
      const bob = mesh.add(BOB, 'Bob');
      mesh.add(MAL, 'Mal');
      mesh.muted.add(MAL);
      mesh.connect(BOB, MAL);
      const item = { id: uuid(), clock: 1, from: MAL, name: 'Mal', at: 1 };
      const picture = { mime: 'image/png', size: 5000, follows: true };
      mesh.inject(MAL, BOB, JSON.stringify({ v: 1, type: 'sync', ids: [item.id], done: true }));
      expect(loads.pending).to.have.length(0);
      mesh.inject(
        MAL,
        BOB,
        JSON.stringify({ v: 1, type: 'history', items: [{ ...item, picture }], done: true }),
      );
      expect(bob.messages).to.have.length(1);
      expect(loads.pending).to.have.length(1);
    });

    it('loads it to send a picture; a failed load rejects the send, and the next loads again', async () => {
      const { ada, bob } = trio();
      const bytes = await pngLike(3000);
      const failing = ada.sendImage(new Blob([bytes]));
      expect(loads.pending).to.have.length(1);
      loads.pending[0].fail();
      expect(await failing.catch((e: unknown) => e)).to.deep.include({
        name: 'RoomError',
        code: 'internal',
      });
      expect(ada.messages).to.have.length(0);
      expect(messageFramesFrom(ADA)).to.have.length(0);
      const sending = ada.sendImage(new Blob([bytes]));
      expect(loads.pending).to.have.length(2);
      loads.pending[1].succeed();
      const sent = await sending;
      expect(sent.picture).to.deep.include({ type: 'image/png', progress: 1 });
      clock.tick(0);
      // Bob's and Cy's own loads, for Ada's offer.
      expect(loads.pending).to.have.length(4);
      for (const load of loads.pending.slice(2)) load.succeed();
      await settle();
      clock.tick(0);
      expect(sameBytes(await bytesAt(pictureOf(bob, sent.id)?.url), bytes)).to.equal(true);
    });
  });

  describe('history for late joiners', () => {
    async function conversation() {
      const ada = mesh.add(ADA, 'Ada');
      const bob = mesh.add(BOB, 'Bob');
      mesh.connect(ADA, BOB);
      await ada.sendText('one');
      await bob.sendText('two');
      await ada.sendText('three');
      await waitUntil(() => ada.messages.length === 3 && bob.messages.length === 3);
      return { ada, bob };
    }

    const framesOfType = (from: string, type: string) =>
      mesh.sent.filter(
        (f) => f.from === from && typeof f.data === 'string' && chatFrameOf(f.data)?.type === type,
      );

    /** Has `from` list `items` in a summary to `to`, then answer with them (as a relay would). */
    function relay(from: string, to: string, items: Array<Record<string, unknown>>) {
      const ids = items.map((item) => item.id);
      mesh.inject(from, to, JSON.stringify({ v: 1, type: 'sync', ids, done: true }));
      return mesh.inject(from, to, JSON.stringify({ v: 1, type: 'history', items, done: true }));
    }

    it('arrives exactly once, in order, asking one peer though two could answer', async () => {
      const { ada } = await conversation();
      const cy = mesh.add(CY, 'Cy');
      const seen = watch(cy);
      mesh.connect(CY, ADA);
      mesh.connect(CY, BOB);
      await waitUntil(() => cy.messages.length === 3);
      await aTimeout(50);
      expect(texts(cy)).to.deep.equal(['one', 'two', 'three']);
      expect(cy.messages.map((m) => m.id)).to.deep.equal(ada.messages.map((m) => m.id));
      expect(seen.messages.map((m) => m.text)).to.deep.equal(['one', 'two', 'three']);
      expect(cy.messages.every((m) => m.isHistory && !m.isOwn)).to.equal(true);
      expect(cy.messages.map((m) => m.senderName)).to.deep.equal(['Ada', 'Bob', 'Ada']);
      expect(framesOfType(CY, 'want').map((f) => f.to)).to.have.length(1);
      expect(cy.unread).to.equal(0);
    });

    it('does not repeat a message that also arrived live', async () => {
      await conversation();
      const cy = mesh.add(CY, 'Cy');
      const seen = watch(cy);
      mesh.connect(CY, ADA);
      mesh.connect(CY, BOB);
      // Bob's message reaches Cy live before Ada's history does.
      const two = mesh
        .framesBetween(BOB, ADA)
        .find((f) => typeof f === 'string' && f.includes('"two"'));
      expect(mesh.inject(BOB, CY, two)).to.equal(true);
      await waitUntil(() => cy.messages.length === 3);
      await aTimeout(50);
      expect(texts(cy)).to.deep.equal(['one', 'two', 'three']);
      expect(seen.messages).to.have.length(3);
    });

    it('asks only peers that answer: one whose frames never arrive is never waited on', async () => {
      await conversation();
      mesh.muted.add(ADA);
      const cy = mesh.add(CY, 'Cy');
      mesh.connect(CY, ADA);
      mesh.connect(CY, BOB);
      await waitUntil(() => cy.messages.length === 3, '', { timeout: 2000 });
      expect(texts(cy)).to.deep.equal(['one', 'two', 'three']);
      expect(framesOfType(CY, 'want').map((f) => f.to)).to.deep.equal([BOB]);
    });

    it('reaches a newcomer through a peer that got the messages only after they linked', async () => {
      await conversation();
      const cy = mesh.add(CY, 'Cy');
      const dee = mesh.add('room-1_dddd', 'Dee');
      mesh.connect('room-1_dddd', CY); // Cy has nothing yet.
      mesh.connect(CY, ADA);
      await waitUntil(() => dee.messages.length === 3, '', { timeout: 2000 });
      expect(texts(dee)).to.deep.equal(['one', 'two', 'three']);
      expect(texts(cy)).to.deep.equal(['one', 'two', 'three']);
    });

    it('answers each message at most once per link, however often a peer asks', async () => {
      const { ada } = await conversation();
      const historyTo = (to: string) =>
        mesh
          .framesBetween(ADA, to)
          .filter((f) => typeof f === 'string' && chatFrameOf(f)?.type === 'history');
      mesh.add(MAL, 'Mal');
      mesh.connect(MAL, ADA);
      await waitUntil(() => mesh.room(MAL).messages.length === 3);
      const answered = historyTo(MAL).length;
      expect(answered).to.equal(1);
      const ids = ada.messages.map((m) => m.id);
      for (let i = 0; i < 5; i++)
        mesh.inject(MAL, ADA, JSON.stringify({ v: 1, type: 'want', ids, done: true }));
      await aTimeout(20);
      const items = historyTo(MAL)
        .slice(answered)
        .flatMap((f) => {
          const frame = chatFrameOf(f);
          return frame?.type === 'history' ? frame.items : [];
        });
      expect(items).to.deep.equal([]);
    });

    it('sends the last 100 messages at most', async () => {
      const ada = mesh.add(ADA, 'Ada', { sendRate: { perSecond: 1000, burst: 1000 } });
      for (let i = 1; i <= 130; i++) await ada.sendText(`m${i}`);
      const bob = mesh.add(BOB, 'Bob');
      mesh.connect(BOB, ADA);
      await waitUntil(() => bob.messages.length === 100);
      await aTimeout(30);
      expect(texts(bob)[0]).to.equal('m31');
      expect(texts(bob).at(-1)).to.equal('m130');
    });

    it('brings the newest pictures that fit the budget, byte for byte', async () => {
      const ada = mesh.add(ADA, 'Ada', { historyPictureBytes: 2.5 * MiB });
      const pictures = [await pngLike(MiB), await pngLike(MiB), await pngLike(MiB)];
      await ada.sendText('look');
      for (const bytes of pictures) await ada.sendImage(new Blob([bytes]));
      const bob = mesh.add(BOB, 'Bob');
      mesh.connect(BOB, ADA);
      await waitUntil(
        () => bob.messages.length === 4 && bob.messages.slice(2).every((m) => m.picture?.url),
      );
      expect(bob.messages.map((m) => m.kind)).to.deep.equal([
        'text',
        'picture',
        'picture',
        'picture',
      ]);
      expect(bob.messages[1].picture).to.deep.include({ url: null, failed: 'unavailable' });
      expect(sameBytes(await bytesAt(bob.messages[2].picture?.url), pictures[1])).to.equal(true);
      expect(sameBytes(await bytesAt(bob.messages[3].picture?.url), pictures[2])).to.equal(true);
      expect(bob.bytesInFlight).to.equal(0);
    });

    it('gives up on relayed pictures that never come, and takes none it was not promised', async () => {
      const bob = mesh.add(BOB, 'Bob');
      mesh.add(MAL, 'Mal');
      mesh.muted.add(MAL);
      mesh.connect(BOB, MAL);
      const promised = uuid();
      relay(MAL, BOB, [
        {
          id: promised,
          clock: 1,
          from: MAL,
          name: 'Mal',
          at: 1,
          picture: { mime: 'image/png', size: 5000, follows: true },
        },
      ]);
      expect(bob.messages[0].picture).to.deep.include({ url: null, progress: 0 });
      expect(bob.messages[0].picture?.failed).to.equal(undefined);
      await aTimeout(250);
      expect(bob.messages[0].picture?.failed).to.equal('incomplete');
      expect(bob.droppedCounts.timeout).to.equal(1);
      // Too late: the same ID is now a duplicate, not a transfer.
      mesh.inject(MAL, BOB, pictureFrame({ id: promised, size: 5000 }));
      expect(bob.droppedCounts.duplicate).to.equal(1);
      expect(bob.bytesInFlight).to.equal(0);
    });

    it('refuses relayed picture bytes that differ from what the relay announced', () => {
      const bob = mesh.add(BOB, 'Bob');
      mesh.add(MAL, 'Mal');
      mesh.muted.add(MAL);
      mesh.connect(BOB, MAL);
      const id = uuid();
      const picture = { mime: 'image/png', size: 5000, follows: true };
      relay(MAL, BOB, [{ id, clock: 1, from: MAL, name: 'Mal', at: 1, picture }]);
      mesh.inject(MAL, BOB, pictureFrame({ id, size: 8 * MiB }));
      expect(bob.droppedCounts.forged).to.equal(1);
      expect(bob.messages[0].picture?.failed).to.equal('incomplete');
      expect(bob.bytesInFlight).to.equal(0);
    });

    it('trusts nothing a relay claims: not our identity, not a live peer’s name', async () => {
      const cy = mesh.add(CY, 'Cy');
      mesh.add(MAL, 'Mal');
      mesh.add(BOB, 'Bob');
      mesh.muted.add(MAL);
      mesh.connect(CY, MAL);
      mesh.connect(CY, BOB);
      const item = (fields: Record<string, unknown>) => ({
        id: uuid(),
        clock: 1,
        name: 'x',
        at: Date.now() + 1e9,
        text: 'claimed',
        ...fields,
      });
      const items = [
        item({ from: CY, name: 'Cy' }),
        item({ from: BOB, name: 'Evil Bob', clock: 2 }),
        item({ from: 'room-1_zzzz', name: 'Zed', clock: 3 }),
      ];
      expect(relay(MAL, CY, items)).to.equal(true);
      expect(cy.droppedCounts.forged).to.equal(1);
      expect(cy.messages.map((m) => [m.senderId, m.senderName, m.isOwn])).to.deep.equal([
        [BOB, 'Bob', false],
        ['room-1_zzzz', 'Zed', false],
      ]);
      expect(cy.messages.every((m) => m.sentAt <= Date.now())).to.equal(true);
      // Messages nobody asked for are dropped, one by one.
      const unasked = items.map((one) => ({ ...one, id: uuid() }));
      mesh.inject(BOB, CY, JSON.stringify({ v: 1, type: 'history', items: unasked, done: true }));
      expect(cy.droppedCounts.unsolicited).to.equal(3);
      expect(cy.messages).to.have.length(2);
    });
  });

  describe('lifecycle', () => {
    it('rejects sending after dispose and stops a transfer under way', async () => {
      const { ada } = trio();
      const sending = ada.sendImage(new Blob([await pngLike(8 * MiB)]));
      await waitUntil(() => (ada.messages[0]?.picture?.progress ?? 0) > 0);
      ada.dispose();
      expect(await sending.catch((e: unknown) => e)).to.deep.include({ code: 'chat-closed' });
      expect(await ada.sendText('late').catch((e: unknown) => e)).to.deep.include({
        code: 'chat-closed',
      });
      expect(ada.messages).to.have.length(0);
    });
  });
});
