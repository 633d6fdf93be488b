import { expect } from '@open-wc/testing';
import {
  CHUNK_FRAME_BYTES,
  CHUNK_HEADER_BYTES,
  CHUNK_PAYLOAD_BYTES,
  MAX_CHAT_FRAME_LENGTH,
  MAX_HISTORY_BATCH_ITEMS,
  MAX_IMAGE_BYTES,
  MAX_SYNC_IDS,
  MAX_TEXT_LENGTH,
  digestOf,
  cleanText,
  decodeChunk,
  encodeChatFrame,
  encodeChunk,
  type ChatFrame,
  type HistoryItem,
} from '../../../src/protocol/chat-messages.js';
import { chatFrameOf } from '../support/frames.js';

const ID = '0b7f3c1e-5d2a-4c8e-9f10-2a3b4c5d6e7f';
const chat = { v: 1, type: 'chat', id: ID, clock: 3, text: 'hello' };
const picture = {
  v: 1,
  type: 'picture',
  id: ID,
  clock: 4,
  transfer: 7,
  mime: 'image/png',
  size: 1234,
};
const textItem: HistoryItem = {
  id: ID,
  clock: 2,
  from: 'room-1234_abcdef0123456789',
  name: 'Ada',
  at: 1_700_000_000_000,
  text: 'earlier',
};
const pictureItem: HistoryItem = {
  id: 'c0ffee00-0000-4000-8000-000000000001',
  clock: 3,
  from: 'room-1234_abcdef0123456789',
  name: 'Ada',
  at: 1_700_000_000_500,
  picture: { mime: 'image/webp', size: 2048, follows: true },
};
const history = { v: 1, type: 'history', items: [textItem, pictureItem], done: true };

const json = (value: unknown) => JSON.stringify(value);
const withFields = (base: object, fields: Record<string, unknown>) => json({ ...base, ...fields });
const historyWithItem = (fields: Record<string, unknown>) =>
  json({ ...history, items: [{ ...textItem, ...fields }] });

describe('chat protocol', () => {
  describe('validateChatFrame, through decodeFrame', () => {
    const refused: Array<[string, unknown]> = [
      ['a number', 42],
      ['an object instead of text', { ...chat }],
      ['an ArrayBuffer', new ArrayBuffer(8)],
      ['null', null],
      ['text that is not JSON', 'hi there'],
      ['a JSON array', json([chat])],
      ['JSON null', 'null'],
      [
        'a frame longer than the limit',
        withFields(chat, { pad: 'x'.repeat(MAX_CHAT_FRAME_LENGTH) }),
      ],
      ['another protocol version', withFields(chat, { v: 2 })],
      ['no version', withFields(chat, { v: undefined })],
      ['an unknown type', withFields(chat, { type: 'chat-v2' })],
      [
        'a control frame (hello)',
        json({ v: 1, type: 'hello', name: 'x', audio: true, video: true }),
      ],
      ['a chat without an ID', withFields(chat, { id: undefined })],
      ['a chat with a short ID', withFields(chat, { id: 'abc' })],
      ['a chat with an ID holding markup', withFields(chat, { id: '<img src=x>aaaaaa' })],
      ['a chat with a numeric ID', withFields(chat, { id: 12345678 })],
      ['a chat with clock 0', withFields(chat, { clock: 0 })],
      ['a chat with a fractional clock', withFields(chat, { clock: 1.5 })],
      ['a chat with a clock past 2^53', withFields(chat, { clock: 2 ** 54 })],
      ['a chat with a clock as a string', withFields(chat, { clock: '3' })],
      ['a chat without text', withFields(chat, { text: undefined })],
      ['a chat whose text is a number', withFields(chat, { text: 5 })],
      ['a chat whose text is blank', withFields(chat, { text: ' \n\t ' })],
      ['a chat whose text is only control characters', withFields(chat, { text: '\u0000\u0007' })],
      [
        'a chat longer than the text limit',
        withFields(chat, { text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }),
      ],
      ['a picture of an SVG', withFields(picture, { mime: 'image/svg+xml' })],
      ['a picture of HTML', withFields(picture, { mime: 'text/html' })],
      ['a picture over the protocol limit', withFields(picture, { size: MAX_IMAGE_BYTES + 1 })],
      ['a picture of size 0', withFields(picture, { size: 0 })],
      ['a picture of negative size', withFields(picture, { size: -1 })],
      ['a picture of fractional size', withFields(picture, { size: 10.5 })],
      ['a picture without a transfer', withFields(picture, { transfer: undefined })],
      ['a picture with a negative transfer', withFields(picture, { transfer: -1 })],
      ['a picture with a transfer past 32 bits', withFields(picture, { transfer: 2 ** 32 })],
      ['a history without items', withFields(history, { items: undefined })],
      ['a history whose items are an object', withFields(history, { items: {} })],
      ['a history without done', withFields(history, { done: undefined })],
      ['a history whose done is a string', withFields(history, { done: 'true' })],
      [
        'a history with too many items',
        withFields(history, { items: Array(MAX_HISTORY_BATCH_ITEMS + 1).fill(textItem) }),
      ],
      ['a history item that is a string', json({ ...history, items: ['x'] })],
      ['a history item without an author', historyWithItem({ from: undefined })],
      ['a history item whose author is not a peer ID', historyWithItem({ from: '../../etc' })],
      ['a history item whose author ID is too long', historyWithItem({ from: 'a'.repeat(200) })],
      ['a history item without a name', historyWithItem({ name: undefined })],
      ['a history item with a negative time', historyWithItem({ at: -1 })],
      ['a history item with a time as a string', historyWithItem({ at: '2024-01-01' })],
      ['a history item with neither text nor picture', historyWithItem({ text: undefined })],
      [
        'a history item with both text and picture',
        historyWithItem({ picture: { mime: 'image/png', size: 10, follows: false } }),
      ],
      [
        'a history picture of an SVG',
        historyWithItem({
          text: undefined,
          picture: { mime: 'image/svg+xml', size: 10, follows: true },
        }),
      ],
      [
        'a history picture without follows',
        historyWithItem({ text: undefined, picture: { mime: 'image/png', size: 10 } }),
      ],
      ['a history item with a bad clock', historyWithItem({ clock: -4 })],
      ['a history request (replaced by sync)', json({ v: 1, type: 'history-request' })],
      ['a digest with a negative count', json({ v: 1, type: 'digest', count: -1, hash: 1 })],
      [
        'a digest with a hash past 32 bits',
        json({ v: 1, type: 'digest', count: 1, hash: 2 ** 32 }),
      ],
      ['a summary without done', json({ v: 1, type: 'sync', ids: [ID] })],
      ['a summary whose IDs are not IDs', json({ v: 1, type: 'sync', ids: ['../x'], done: true })],
      [
        'a summary of too many IDs',
        json({ v: 1, type: 'sync', ids: Array(MAX_SYNC_IDS + 1).fill(ID), done: true }),
      ],
      ['a request whose IDs are a string', json({ v: 1, type: 'want', ids: ID, done: true })],
    ];
    for (const [name, raw] of refused) {
      it(`drops ${name}`, () => {
        expect(chatFrameOf(raw)).to.equal(null);
      });
    }

    const accepted: Array<[string, ChatFrame]> = [
      ['a chat', chat as ChatFrame],
      ['a picture', picture as ChatFrame],
      ['a digest', { v: 1, type: 'digest', count: 3, hash: 0xdeadbeef }],
      ['a summary', { v: 1, type: 'sync', ids: [ID, 'abcdefgh'], done: false }],
      ['an empty final summary', { v: 1, type: 'sync', ids: [], done: true }],
      ['a request', { v: 1, type: 'want', ids: [ID], done: true }],
      ['a history', history as ChatFrame],
      ['an empty final history', { v: 1, type: 'history', items: [], done: true }],
    ];
    for (const [name, frame] of accepted) {
      it(`round-trips ${name} through encodeChatFrame`, () => {
        expect(chatFrameOf(encodeChatFrame(frame))).to.deep.equal(frame);
      });
    }

    it('accepts text exactly at the limit', () => {
      const decoded = chatFrameOf(withFields(chat, { text: 'x'.repeat(MAX_TEXT_LENGTH) }));
      expect(decoded).to.deep.include({ text: 'x'.repeat(MAX_TEXT_LENGTH) });
    });

    it('keeps only known fields, so a frame cannot name its sender', () => {
      const raw = withFields(chat, { senderId: 'someone-else', name: 'Mallory', isOwn: true });
      expect(chatFrameOf(raw)).to.deep.equal(chat);
    });

    it('keeps markup in text as it is (it is shown as text, never parsed)', () => {
      const text = '<script>alert(1)</script><b>bold</b>';
      expect(chatFrameOf(withFields(chat, { text }))).to.deep.include({ text });
    });

    it('cleans the name of a history item', () => {
      const decoded = chatFrameOf(historyWithItem({ name: ' Ev\u202Eil\nBob ' }));
      expect(decoded && decoded.type === 'history' && decoded.items[0].name).to.equal('EvilBob');
    });
  });

  describe('digestOf', () => {
    it('is the same whatever order the IDs come in, and changes with any ID', () => {
      const ids = ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'];
      expect(digestOf(ids)).to.equal(digestOf([...ids].reverse()));
      expect(digestOf(ids)).not.to.equal(digestOf(ids.slice(1)));
      expect(digestOf(ids)).not.to.equal(digestOf(['aaaaaaaa', 'bbbbbbbb', 'cccccccd']));
      expect(digestOf([])).to.equal(0);
    });
  });

  describe('cleanText', () => {
    const cases: Array<[string, string]> = [
      ['line\r\nbreak', 'line\nbreak'],
      ['old\rmac', 'old\nmac'],
      ['tab\tkept', 'tab\tkept'],
      ['bell\u0007 and null\u0000', 'bell and null'],
      ['family 👨\u200D👩\u200D👧', 'family 👨\u200D👩\u200D👧'],
      ['中文，好的。', '中文，好的。'],
    ];
    for (const [input, expected] of cases) {
      it(`cleans ${JSON.stringify(input)}`, () => {
        expect(cleanText(input)).to.equal(expected);
      });
    }
  });

  describe('chunk frames', () => {
    it('round-trips a chunk through encodeChunk and decodeChunk', () => {
      const payload = Uint8Array.from([1, 2, 3, 250]);
      const decoded = decodeChunk(encodeChunk(0xfffffffe, 513, payload));
      expect(decoded?.transfer).to.equal(0xfffffffe);
      expect(decoded?.index).to.equal(513);
      expect([...(decoded?.payload ?? [])]).to.deep.equal([1, 2, 3, 250]);
    });

    it('fits a full chunk in one 64 KiB frame', () => {
      const frame = encodeChunk(1, 0, new Uint8Array(CHUNK_PAYLOAD_BYTES));
      expect(frame.byteLength).to.equal(CHUNK_FRAME_BYTES);
      expect(decodeChunk(frame)?.payload.byteLength).to.equal(CHUNK_PAYLOAD_BYTES);
    });

    const valid = () => encodeChunk(1, 0, Uint8Array.from([9, 9, 9]));
    const patched = (offset: number, value: number) => {
      const buffer = valid();
      new DataView(buffer).setUint8(offset, value);
      return buffer;
    };
    const refused: Array<[string, unknown]> = [
      ['an empty buffer', new ArrayBuffer(0)],
      ['a header without payload', new ArrayBuffer(CHUNK_HEADER_BYTES)],
      ['a frame over 64 KiB', encodeChunk(1, 0, new Uint8Array(CHUNK_PAYLOAD_BYTES + 1))],
      ['a wrong magic', patched(0, 0x00)],
      ['another version', patched(2, 2)],
      ['an unknown kind', patched(3, 9)],
      ['random bytes', crypto.getRandomValues(new Uint8Array(100)).buffer],
      ['a typed array instead of a buffer', new Uint8Array(valid())],
      ['a string', 'rc\u0001\u0001'],
    ];
    for (const [name, raw] of refused) {
      it(`drops ${name}`, () => {
        expect(decodeChunk(raw as ArrayBuffer)).to.equal(null);
      });
    }
  });
});
