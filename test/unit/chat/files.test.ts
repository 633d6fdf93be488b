import { expect, waitUntil } from '@open-wc/testing';
import type { ChatFile, ChatMessage, ChatRoom, DropReason } from '../../../src/chat/chat-room.js';
import { FILE_TUNING } from '../../../src/chat/file-transfer.js';
import { CHUNK_PAYLOAD_BYTES, encodeChunk } from '../../../src/protocol/chat-messages.js';
import { FakeClock } from '../support/fake-clock.js';
import { ChatMesh } from './support/chat-mesh.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const ADA = 'room-1_aaaa';
const BOB = 'room-1_bbbb';
const CY = 'room-1_cccc';
const MAL = 'room-1_mmmm';
const IDLE_MS = 30_000;

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
  }
  return bytes;
}

async function sha256Of(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

const fileOf = (room: ChatRoom, id?: string): ChatFile | undefined =>
  room.messages.find((m) => m.file && (id === undefined || m.id === id))?.file;

describe('files in chat', () => {
  let clock: FakeClock;
  let mesh: ChatMesh;

  beforeEach(() => {
    clock = new FakeClock();
    mesh = new ChatMesh({}, clock);
  });

  afterEach(() => mesh.dispose());

  /** Moves the fake time on, a poll at a time, while real reads of Blobs complete. */
  function until(condition: () => boolean, what: string): Promise<void> {
    return waitUntil(
      () => {
        clock.tick(FILE_TUNING.pollMs);
        return condition();
      },
      what,
      { interval: 1, timeout: 10_000 },
    );
  }

  function pair(bobLimits = {}): { ada: ChatRoom; bob: ChatRoom } {
    const ada = mesh.add(ADA, 'Ada');
    const bob = mesh.add(BOB, 'Bob', bobLimits);
    mesh.connect(ADA, BOB);
    clock.tick(0);
    return { ada, bob };
  }

  /** A peer that sends only what the test writes: its own room's frames are lost. */
  async function hostile(to: ChatRoom, toId: string) {
    // The transfers chunk is loaded: what the peer sends is handled at once.
    await to.files();
    mesh.add(MAL, 'Mal');
    mesh.connect(MAL, toId);
    mesh.muted.add(MAL);
    clock.tick(0);
    const dropped: DropReason[] = [];
    to.on('dropped', ({ peerId, reason }) => peerId === MAL && dropped.push(reason));
    return {
      dropped,
      offer(fields: Record<string, unknown>): string {
        const id = crypto.randomUUID();
        mesh.inject(
          MAL,
          toId,
          JSON.stringify({ v: 1, type: 'file', op: 'offer', id, clock: 1, ...fields }),
        );
        return id;
      },
      /** The transfer number of the latest request `to` sent us. */
      requested(): number {
        const gets = mesh
          .framesBetween(toId, MAL)
          .filter((data): data is string => typeof data === 'string')
          .map((data) => JSON.parse(data) as Record<string, unknown>)
          .filter((frame) => frame.type === 'file' && frame.op === 'get');
        return gets.at(-1)?.transfer as number;
      },
      chunk(transfer: number, index: number, payload: Uint8Array): void {
        mesh.inject(MAL, toId, encodeChunk(transfer, index, payload));
      },
    };
  }

  async function send(room: ChatRoom, bytes: Uint8Array<ArrayBuffer>, name = 'report.bin') {
    const file = new File([bytes], name, { type: 'application/x-report' });
    return (await room.files()).send(file);
  }

  it('offers a file, which a peer downloads with progress, its SHA-256 checked', async () => {
    const { ada, bob } = pair();
    const bytes = randomBytes(300 * KiB);
    const sent = await send(ada, bytes);
    expect(sent.file).to.deep.include({ name: 'report.bin', size: bytes.length, state: 'offered' });
    await until(() => !!fileOf(bob), 'the offer arrives');
    expect(fileOf(bob)).to.deep.equal({
      name: 'report.bin',
      size: bytes.length,
      type: 'application/x-report',
      sha256: await sha256Of(bytes),
      state: 'offered',
      progress: 0,
      url: null,
    });
    const progress: number[] = [];
    bob.on('change', () => progress.push(fileOf(bob)?.progress ?? -1));
    const downloading = (await bob.files()).download(sent.id);
    await until(() => fileOf(bob)?.state === 'done', 'the download ends');
    const done = await downloading;
    expect(done.file?.state).to.equal('done');
    expect(progress.some((p) => p > 0 && p < 1)).to.equal(true);
    const blob = await (await fetch(done.file!.url!)).blob();
    // Saved as a download, never opened as the type a peer claimed.
    expect(blob.type).to.equal('application/octet-stream');
    expect(await sha256Of(new Uint8Array(await blob.arrayBuffer()))).to.equal(done.file?.sha256);
  });

  it('downloads an empty file at once', async () => {
    const { ada, bob } = pair();
    const sent = await send(ada, new Uint8Array(0), 'empty.txt');
    await until(() => !!fileOf(bob), 'the offer arrives');
    const done = await (await bob.files()).download(sent.id);
    expect(done.file?.state).to.equal('done');
  });

  it('stops a download the visitor cancels, and the sender stops sending', async () => {
    const { ada, bob } = pair();
    const sent = await send(ada, randomBytes(6 * MiB));
    await until(() => !!fileOf(bob), 'the offer arrives');
    void (await bob.files()).download(sent.id);
    await until(() => (fileOf(bob)?.progress ?? 0) > 0.1, 'some of it arrived');
    const cancelled = await (await bob.files()).cancel(sent.id);
    expect(cancelled.file).to.deep.include({ state: 'offered', progress: 0 });
    clock.tick(FILE_TUNING.pollMs);
    clock.tick(FILE_TUNING.pollMs);
    const sentSoFar = mesh.framesBetween(ADA, BOB).length;
    for (let i = 0; i < 20; i++) {
      clock.tick(FILE_TUNING.pollMs);
      await new Promise((resolve) => setTimeout(resolve));
    }
    expect(mesh.framesBetween(ADA, BOB).length).to.equal(sentSoFar);
    expect(fileOf(bob)?.state).to.equal('offered');
  });

  it('never leaves more than its high-water mark queued on the channel', async () => {
    const { ada, bob } = pair();
    const sent = await send(ada, randomBytes(8 * MiB));
    await until(() => !!fileOf(bob), 'the offer arrives');
    void (await bob.files()).download(sent.id);
    await until(() => fileOf(bob)?.state === 'done', 'the download ends');
    const peak = mesh.peakQueued.get(`${ADA}>${BOB}`) ?? 0;
    expect(peak).to.be.at.most(FILE_TUNING.highWaterBytes + 4 * KiB);
    expect(peak).to.be.at.least(FILE_TUNING.highWaterBytes / 2);
  });

  it('makes a file unavailable when its sender leaves, and offered again when it is back', async () => {
    const { ada, bob } = pair();
    const sent = await send(ada, randomBytes(4 * MiB));
    await until(() => !!fileOf(bob), 'the offer arrives');
    const downloading = (await bob.files()).download(sent.id);
    await until(() => (fileOf(bob)?.progress ?? 0) > 0, 'some of it arrived');
    mesh.disconnect(ADA, BOB);
    expect((await downloading).file?.state).to.equal('unavailable');
    const error = await (await bob.files()).download(sent.id).catch((e: unknown) => e);
    expect(error).to.deep.include({ code: 'file-unavailable' });
    mesh.connect(ADA, BOB);
    expect(fileOf(bob)?.state).to.equal('offered');
    void (await bob.files()).download(sent.id);
    await until(() => fileOf(bob)?.state === 'done', 'the download ends');
  });

  it('lets a late joiner see the offer in the history and download it from its sender', async () => {
    const { ada } = pair();
    const bytes = randomBytes(200 * KiB);
    const sent = await send(ada, bytes);
    clock.tick(0);
    const cy = mesh.add(CY, 'Cy');
    mesh.connect(CY, BOB);
    mesh.connect(CY, ADA);
    await until(() => !!fileOf(cy), 'the history arrives');
    const message = cy.messages.find((m) => m.id === sent.id) as ChatMessage;
    expect(message).to.deep.include({ isHistory: true, senderId: ADA, senderName: 'Ada' });
    expect(message.file?.state).to.equal('offered');
    void (await cy.files()).download(sent.id);
    await until(() => fileOf(cy)?.state === 'done', 'the download ends');
    const blob = await (await fetch(fileOf(cy)!.url!)).blob();
    expect(await sha256Of(new Uint8Array(await blob.arrayBuffer()))).to.equal(
      await sha256Of(bytes),
    );
  });

  it('shows a file over the room’s max-file-size as too large, and sends none', async () => {
    const { ada, bob } = pair({ maxFileBytes: 100 * KiB });
    const sent = await send(ada, randomBytes(200 * KiB));
    await until(() => !!fileOf(bob), 'the offer arrives');
    expect(fileOf(bob)).to.deep.include({ state: 'failed', failure: 'too-large' });
    const download = await (await bob.files()).download(sent.id).catch((e: unknown) => e);
    expect(download).to.deep.include({ code: 'file-too-large' });
    const own = await send(bob, randomBytes(200 * KiB)).catch((e: unknown) => e);
    expect(own).to.deep.include({ code: 'file-too-large' });
  });

  it('refuses to flood others with offers itself, so peers never drop them', async () => {
    const { ada } = pair();
    const results = await Promise.allSettled(
      Array.from({ length: FILE_TUNING.offerRate.burst + 2 }, (_, i) =>
        send(ada, randomBytes(10), `f${i}`),
      ),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).to.have.length(2);
    expect((refused[0] as PromiseRejectedResult).reason).to.deep.include({
      code: 'chat-rate-limited',
    });
  });

  it('sends at most two files to one peer at once, and says busy to more', async () => {
    const { ada, bob } = pair();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await send(ada, randomBytes(2 * MiB), `f${i}`)).id);
    await until(() => bob.messages.filter((m) => m.file).length === 3, 'the offers arrive');
    const files = await bob.files();
    for (const id of ids) void files.download(id);
    await until(() => fileOf(bob, ids[2])?.state === 'failed', 'the third is refused');
    expect(fileOf(bob, ids[2])).to.deep.include({ failure: 'refused' });
    await until(() => bob.messages.filter((m) => m.file?.state === 'done').length === 2, 'two end');
  });

  describe('from a hostile peer', () => {
    it('fails a file whose bytes do not match its SHA-256', async () => {
      const { bob } = pair();
      const mal = await hostile(bob, BOB);
      const honest = randomBytes(1000);
      const id = mal.offer({
        name: 'x.bin',
        size: 1000,
        mime: 'x/y',
        sha256: await sha256Of(honest),
      });
      const downloading = (await bob.files()).download(id);
      mal.chunk(mal.requested(), 0, randomBytes(1000));
      const ended = await downloading;
      expect(ended.file).to.deep.include({ state: 'failed', failure: 'corrupt', url: null });
      expect(mal.dropped).to.include('forged');
    });

    it('fails a file whose size lied: an endless stream is cut off, and the room goes on', async () => {
      const { ada, bob } = pair();
      const mal = await hostile(bob, BOB);
      const id = mal.offer({ name: 'x.bin', size: 100_000, mime: 'x/y', sha256: 'b'.repeat(64) });
      const downloading = (await bob.files()).download(id);
      const transfer = mal.requested();
      for (let index = 0; index < 10; index++) {
        mal.chunk(transfer, index, new Uint8Array(CHUNK_PAYLOAD_BYTES));
      }
      const ended = await downloading;
      expect(ended.file).to.deep.include({ state: 'failed', failure: 'bad-size' });
      expect(mal.dropped).to.include('bad-chunk');
      expect(mal.dropped.filter((r) => r === 'unknown-transfer')).to.have.length(8);
      const stop = mesh.framesBetween(BOB, MAL).at(-1) as string;
      expect(JSON.parse(stop)).to.deep.include({ op: 'stop', transfer, reason: 'cancel' });
      await ada.sendText('still here');
      await until(() => bob.messages.some((m) => m.text === 'still here'), 'text goes on');
    });

    it('fails a file that stops coming', async () => {
      const { bob } = pair();
      const mal = await hostile(bob, BOB);
      const id = mal.offer({ name: 'x.bin', size: 100_000, mime: 'x/y', sha256: 'b'.repeat(64) });
      const downloading = (await bob.files()).download(id);
      mal.chunk(mal.requested(), 0, new Uint8Array(CHUNK_PAYLOAD_BYTES));
      clock.tick(IDLE_MS - 1);
      expect(fileOf(bob)?.state).to.equal('receiving');
      clock.tick(1);
      expect((await downloading).file).to.deep.include({ state: 'failed', failure: 'timeout' });
    });

    it('cleans a name with path separators and control characters, shown as text', async () => {
      const { bob } = pair();
      const mal = await hostile(bob, BOB);
      mal.offer({
        name: '../\u202e<img src=x>\u0000.exe',
        size: 1,
        mime: 'x/y',
        sha256: 'c'.repeat(64),
      });
      expect(fileOf(bob)?.name).to.equal('.._<img src=x>.exe');
    });

    it('refuses a flood of offers past its rate, and the room goes on', async () => {
      const { ada, bob } = pair();
      const mal = await hostile(bob, BOB);
      for (let i = 0; i < 50; i++) {
        mal.offer({ name: `spam${i}`, size: 1, mime: 'x/y', sha256: 'c'.repeat(64) });
      }
      const offers = bob.messages.filter((m) => m.senderId === MAL);
      expect(offers).to.have.length(FILE_TUNING.offerRate.burst);
      expect(mal.dropped.filter((r) => r === 'rate-limited')).to.have.length(
        50 - FILE_TUNING.offerRate.burst,
      );
      await ada.sendText('still here');
      await until(() => bob.messages.some((m) => m.text === 'still here'), 'text goes on');
    });

    it('drops a malformed file frame and chunks of a transfer nobody asked for', async () => {
      const { bob } = pair();
      const mal = await hostile(bob, BOB);
      mal.offer({ name: 'x', size: -5, mime: 'x/y', sha256: 'c'.repeat(64) });
      await bob.files();
      mal.chunk(0x8000_0001, 0, new Uint8Array(10));
      expect(mal.dropped).to.deep.equal(['malformed', 'unknown-transfer']);
      expect(fileOf(bob)).to.equal(undefined);
    });
  });
});
