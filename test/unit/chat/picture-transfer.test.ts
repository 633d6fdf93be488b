import { aTimeout, expect } from '@open-wc/testing';
import {
  PictureReceiver,
  PictureSender,
  type IncomingFailure,
  type ReceiverLimits,
} from '../../../src/chat/picture-transfer.js';
import {
  CHUNK_PAYLOAD_BYTES,
  decodeChunk,
  encodeChunk,
} from '../../../src/protocol/chat-messages.js';
import { FakeClock } from '../support/fake-clock.js';
import { pngLike, sameBytes } from './support/images.js';

const MiB = 1024 * 1024;

const limits: ReceiverLimits = {
  maxImageBytes: 8 * MiB,
  maxBytesPerPeer: 10 * MiB,
  maxBytesTotal: 12 * MiB,
  maxTransfersPerPeer: 2,
  idleTimeoutMs: 40,
};

function receiver(overrides: Partial<ReceiverLimits> = {}) {
  const done: Array<{ id: string; blob: Blob }> = [];
  const failed: Array<{ peerId: string; id: string; reason: IncomingFailure }> = [];
  const progress: Array<[string, number]> = [];
  const instance = new PictureReceiver(
    { ...limits, ...overrides },
    {
      progress: (id, fraction) => progress.push([id, fraction]),
      complete: (id, blob) => done.push({ id, blob }),
      fail: (peerId, id, reason) => failed.push({ peerId, id, reason }),
    },
  );
  return { instance, done, failed, progress };
}

function chunksOf(bytes: Uint8Array, transfer: number) {
  const chunks = [];
  for (let index = 0, offset = 0; offset < bytes.byteLength; index++) {
    chunks.push(
      decodeChunk(
        encodeChunk(transfer, index, bytes.subarray(offset, offset + CHUNK_PAYLOAD_BYTES)),
      )!,
    );
    offset += CHUNK_PAYLOAD_BYTES;
  }
  return chunks;
}

describe('picture transfer', () => {
  describe('PictureReceiver', () => {
    it('reassembles a picture byte for byte, with progress, and frees its reservation', async () => {
      const { instance, done, progress } = receiver();
      const bytes = await pngLike(300_000);
      expect(
        instance.start('p', 1, { messageId: 'm', type: 'image/png', size: bytes.byteLength }),
      ).to.equal(null);
      expect(instance.bytesInFlight).to.equal(bytes.byteLength);
      for (const chunk of chunksOf(bytes, 1))
        expect(instance.handleChunk('p', chunk)).to.equal('ok');
      expect(done).to.have.length(1);
      expect(done[0].blob.type).to.equal('image/png');
      expect(sameBytes(new Uint8Array(await done[0].blob.arrayBuffer()), bytes)).to.equal(true);
      expect(progress.map(([, f]) => f)).to.deep.equal(
        [1, 2, 3, 4].map((n) => (n * CHUNK_PAYLOAD_BYTES) / bytes.byteLength),
      );
      expect(instance.bytesInFlight).to.equal(0);
    });

    it('refuses a declared size over its limit', () => {
      const { instance } = receiver({ maxImageBytes: MiB });
      expect(instance.start('p', 1, { messageId: 'm', type: 'image/png', size: MiB + 1 })).to.equal(
        'too-large',
      );
      expect(instance.bytesInFlight).to.equal(0);
    });

    it('caps concurrent transfers per peer', () => {
      const { instance } = receiver();
      const start = (peer: string, t: number) =>
        instance.start(peer, t, { messageId: `m${t}`, type: 'image/png', size: 1000 });
      expect(start('p', 1)).to.equal(null);
      expect(start('p', 2)).to.equal(null);
      expect(start('p', 3)).to.equal('busy');
      expect(start('q', 3)).to.equal(null);
      instance.dispose();
    });

    it('caps declared bytes per peer and in total', () => {
      const { instance } = receiver();
      const start = (peer: string, t: number, size: number) =>
        instance.start(peer, t, { messageId: `m${peer}${t}`, type: 'image/png', size });
      expect(start('p', 1, 6 * MiB)).to.equal(null);
      expect(start('p', 2, 5 * MiB)).to.equal('busy'); // 11 MiB > 10 MiB for one peer
      expect(start('q', 1, 6 * MiB)).to.equal(null);
      expect(start('r', 1, 1)).to.equal('busy'); // 12 MiB + 1 > 12 MiB in total
      expect(instance.bytesInFlight).to.equal(12 * MiB);
      instance.dispose();
      expect(instance.bytesInFlight).to.equal(0);
    });

    it('refuses a transfer number already in use by the same peer', () => {
      const { instance } = receiver();
      instance.start('p', 1, { messageId: 'a', type: 'image/png', size: 10 });
      expect(instance.start('p', 1, { messageId: 'b', type: 'image/png', size: 10 })).to.equal(
        'duplicate-transfer',
      );
      instance.dispose();
    });

    it('ignores chunks of a transfer it does not know, or of another peer’s transfer', async () => {
      const { instance } = receiver();
      const [chunk] = chunksOf(await pngLike(100), 9);
      expect(instance.handleChunk('p', chunk)).to.equal('unknown-transfer');
      instance.start('p', 9, { messageId: 'a', type: 'image/png', size: 100 });
      expect(instance.handleChunk('q', chunk)).to.equal('unknown-transfer');
      instance.dispose();
    });

    const badChunks: Array<[string, (bytes: Uint8Array) => ReturnType<typeof decodeChunk>]> = [
      [
        'a chunk out of order',
        (b) => decodeChunk(encodeChunk(1, 1, b.subarray(0, CHUNK_PAYLOAD_BYTES))),
      ],
      [
        'a first chunk shorter than a full chunk',
        (b) => decodeChunk(encodeChunk(1, 0, b.subarray(0, 1000))),
      ],
      [
        'an index far beyond the end',
        (b) => decodeChunk(encodeChunk(1, 0xffffffff, b.subarray(0, 10))),
      ],
    ];
    for (const [name, make] of badChunks) {
      it(`drops the whole transfer on ${name} and frees its memory`, async () => {
        const { instance, failed } = receiver();
        const bytes = await pngLike(200_000);
        instance.start('p', 1, { messageId: 'm', type: 'image/png', size: bytes.byteLength });
        expect(instance.handleChunk('p', make(bytes)!)).to.equal('bad-chunk');
        expect(failed).to.deep.equal([{ peerId: 'p', id: 'm', reason: 'bad-chunk' }]);
        expect(instance.bytesInFlight).to.equal(0);
      });
    }

    it('drops a transfer whose chunks add up to more than declared', async () => {
      const { instance, failed, done } = receiver();
      const bytes = await pngLike(1000);
      instance.start('p', 1, { messageId: 'm', type: 'image/png', size: 999 });
      expect(instance.handleChunk('p', chunksOf(bytes, 1)[0])).to.equal('bad-chunk');
      expect(done).to.have.length(0);
      expect(failed[0]?.reason).to.equal('bad-chunk');
    });

    it('drops a transfer whose first bytes are not the declared picture type', async () => {
      const { instance, failed } = receiver();
      const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
      instance.start('p', 1, { messageId: 'm', type: 'image/png', size: html.byteLength });
      expect(instance.handleChunk('p', chunksOf(html, 1)[0])).to.equal('not-an-image');
      expect(failed[0]?.reason).to.equal('not-an-image');
      expect(instance.bytesInFlight).to.equal(0);
    });

    it('drops a transfer whose chunks stop coming, after the idle timeout', async () => {
      const clock = new FakeClock();
      const { instance, failed } = receiver({ clock });
      const bytes = await pngLike(200_000);
      instance.start('p', 1, { messageId: 'm', type: 'image/png', size: bytes.byteLength });
      clock.tick(30);
      instance.handleChunk('p', chunksOf(bytes, 1)[0]);
      clock.tick(39);
      expect(instance.bytesInFlight).to.equal(bytes.byteLength);
      clock.tick(1);
      expect(failed).to.deep.equal([{ peerId: 'p', id: 'm', reason: 'timeout' }]);
      expect(instance.bytesInFlight).to.equal(0);
    });

    it('measures a stall from when a frame handed over late arrived', async () => {
      const clock = new FakeClock();
      const { instance, failed } = receiver({ clock });
      const bytes = await pngLike(200_000);
      const [first, second, third] = chunksOf(bytes, 1);
      clock.tick(100);
      // Announced at 10 and 20, with a chunk at 30: the next is due by 70.
      instance.start('p', 1, { messageId: 'm', type: 'image/png', size: bytes.byteLength }, 10);
      expect(instance.handleChunk('p', first, 20)).to.equal('ok');
      expect(instance.handleChunk('p', second, 30)).to.equal('ok');
      expect(failed).to.deep.equal([]);
      // A chunk that came after the stall finds the transfer ended.
      expect(instance.handleChunk('p', third, 71)).to.equal('unknown-transfer');
      expect(failed).to.deep.equal([{ peerId: 'p', id: 'm', reason: 'timeout' }]);
      expect(instance.bytesInFlight).to.equal(0);
    });

    it('ends a late-handed transfer at once when its stall is already past', async () => {
      const clock = new FakeClock();
      const { instance, failed } = receiver({ clock });
      clock.tick(100);
      instance.start('p', 1, { messageId: 'm', type: 'image/png', size: 1000 }, 50);
      expect(failed).to.deep.equal([]);
      clock.tick(0);
      expect(failed).to.deep.equal([{ peerId: 'p', id: 'm', reason: 'timeout' }]);
    });

    it('drops a peer’s transfers when it leaves', () => {
      const { instance, failed } = receiver();
      instance.start('p', 1, { messageId: 'a', type: 'image/png', size: 10 });
      instance.start('q', 1, { messageId: 'b', type: 'image/png', size: 10 });
      instance.cancelPeer('p');
      expect(failed).to.deep.equal([{ peerId: 'p', id: 'a', reason: 'peer-gone' }]);
      expect(instance.bytesInFlight).to.equal(10);
      instance.dispose();
    });
  });

  describe('PictureSender', () => {
    function channel(drainPerTickBytes: number) {
      let buffered = 0;
      let maxBuffered = 0;
      const frames: Array<string | ArrayBuffer> = [];
      const drain = setInterval(() => (buffered = Math.max(0, buffered - drainPerTickBytes)), 1);
      return {
        frames,
        maxBuffered: () => maxBuffered,
        stop: () => clearInterval(drain),
        channels: {
          send: (_peer: string, data: string | ArrayBuffer) => {
            frames.push(data);
            buffered += typeof data === 'string' ? data.length : data.byteLength;
            maxBuffered = Math.max(maxBuffered, buffered);
            return true;
          },
          bufferedAmount: () => buffered,
        },
      };
    }

    it('sends the offer, then every chunk in order, never over the high-water mark', async () => {
      const link = channel(64 * 1024);
      const sender = new PictureSender({
        channels: link.channels,
        highWaterBytes: 256 * 1024,
        pollMs: 1,
      });
      const bytes = await pngLike(MiB);
      const progress: number[] = [];
      const isSent = await sender.send('p', {
        transfer: 5,
        offer: 'OFFER',
        bytes,
        onProgress: (n) => progress.push(n),
      });
      link.stop();
      expect(isSent).to.equal(true);
      expect(link.frames[0]).to.equal('OFFER');
      const chunks = link.frames.slice(1).map((f) => decodeChunk(f as ArrayBuffer)!);
      expect(chunks.map((c) => c.index)).to.deep.equal(chunks.map((_, i) => i));
      expect(chunks.every((c) => c.transfer === 5)).to.equal(true);
      const joined = new Uint8Array(await new Blob(chunks.map((c) => c.payload)).arrayBuffer());
      expect(sameBytes(joined, bytes)).to.equal(true);
      expect(link.maxBuffered()).to.be.at.most(256 * 1024);
      expect(progress.at(-1)).to.equal(MiB);
    });

    it('lets text go out while a picture waits for the channel to drain', async () => {
      const link = channel(16 * 1024);
      const sender = new PictureSender({
        channels: link.channels,
        highWaterBytes: 128 * 1024,
        pollMs: 1,
      });
      const sending = sender.send('p', { transfer: 1, offer: 'OFFER', bytes: await pngLike(MiB) });
      await aTimeout(5);
      link.channels.send('p', 'TEXT');
      await sending;
      link.stop();
      const at = link.frames.indexOf('TEXT');
      expect(at).to.be.above(0);
      expect(at).to.be.below(link.frames.length - 1);
    });

    it('resolves false and stops sending when the peer is cancelled', async () => {
      const link = channel(1024);
      const sender = new PictureSender({
        channels: link.channels,
        highWaterBytes: 128 * 1024,
        pollMs: 1,
      });
      const first = sender.send('p', { transfer: 1, offer: 'A', bytes: await pngLike(MiB) });
      const second = sender.send('p', { transfer: 2, offer: 'B', bytes: await pngLike(1000) });
      await aTimeout(5);
      sender.cancelPeer('p');
      expect(await first).to.equal(false);
      expect(await second).to.equal(false);
      const count = link.frames.length;
      await aTimeout(20);
      link.stop();
      expect(link.frames.length).to.equal(count);
      expect(link.frames).to.not.include('B');
    });

    it('sends pictures to one peer one after another', async () => {
      const link = channel(1024 * 1024);
      const sender = new PictureSender({
        channels: link.channels,
        highWaterBytes: 128 * 1024,
        pollMs: 1,
      });
      await Promise.all([
        sender.send('p', { transfer: 1, offer: 'A', bytes: await pngLike(200_000) }),
        sender.send('p', { transfer: 2, offer: 'B', bytes: new Blob([await pngLike(100_000)]) }),
      ]);
      link.stop();
      const transfers = link.frames.map((f) =>
        typeof f === 'string' ? f : decodeChunk(f)!.transfer,
      );
      expect(transfers).to.deep.equal(['A', 1, 1, 1, 1, 'B', 2, 2]);
    });
  });
});
