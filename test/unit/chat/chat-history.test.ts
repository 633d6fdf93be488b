import { expect } from '@open-wc/testing';
import { historyFrames, idFrames } from '../../../src/chat/chat-history.js';
import {
  encodeChatFrame,
  MAX_HISTORY_BATCH_ITEMS,
  MAX_SYNC_IDS,
  MAX_TEXT_LENGTH,
  type HistoryItem,
} from '../../../src/protocol/chat-messages.js';
import { chatFrameOf } from '../support/frames.js';

function item(n: number, text = `message ${n}`): HistoryItem {
  return {
    id: `item-${String(n).padStart(6, '0')}`,
    clock: n,
    from: 'room-1234_0123456789abcdef',
    name: 'Ada',
    at: 1_700_000_000_000 + n,
    text,
  };
}

describe('chat history', () => {
  describe('historyFrames', () => {
    it('sends one final empty frame when there is nothing to tell', () => {
      const frames = historyFrames([]);
      expect(frames.map((f) => chatFrameOf(f))).to.deep.equal([
        { v: 1, type: 'history', items: [], done: true },
      ]);
    });

    it('splits long history into frames under the byte limit, in order, done only last', () => {
      const items = Array.from({ length: 60 }, (_, n) => item(n + 1, '字'.repeat(MAX_TEXT_LENGTH)));
      const frames = historyFrames(items);
      expect(frames.length).to.be.above(1);
      const decoded = frames.map((f) => chatFrameOf(f));
      for (const frame of frames) {
        expect(new TextEncoder().encode(frame).byteLength).to.be.at.most(48 * 1024);
      }
      expect(decoded.map((f) => f?.type === 'history' && f.done)).to.deep.equal([
        ...Array(frames.length - 1).fill(false),
        true,
      ]);
      const ids = decoded.flatMap((f) => (f?.type === 'history' ? f.items.map((i) => i.id) : []));
      expect(ids).to.deep.equal(items.map((i) => i.id));
    });

    it('never puts more items in a frame than a receiver accepts', () => {
      const items = Array.from({ length: 250 }, (_, n) => item(n + 1, 'x'));
      const frames = historyFrames(items).map((f) => chatFrameOf(f));
      expect(frames.every((f) => f !== null)).to.equal(true);
      for (const frame of frames) {
        expect(frame?.type === 'history' && frame.items.length).to.be.at.most(
          MAX_HISTORY_BATCH_ITEMS,
        );
      }
    });
  });

  describe('idFrames', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `message-${i}`);

    it('sends one final empty summary when there is nothing to list', () => {
      expect(idFrames('sync', [])).to.deep.equal([{ v: 1, type: 'sync', ids: [], done: true }]);
    });

    it('splits a long list into frames a receiver accepts, in order, done only last', () => {
      const frames = idFrames('want', ids(MAX_SYNC_IDS * 2 + 1));
      expect(frames.map((f) => f.ids.length)).to.deep.equal([MAX_SYNC_IDS, MAX_SYNC_IDS, 1]);
      expect(frames.map((f) => f.done)).to.deep.equal([false, false, true]);
      expect(frames.flatMap((f) => f.ids)).to.deep.equal(ids(MAX_SYNC_IDS * 2 + 1));
      for (const frame of frames) {
        expect(chatFrameOf(encodeChatFrame(frame))).to.deep.equal(frame);
      }
    });

    it('keeps a full frame of the longest IDs under the data channel limit', () => {
      const [frame] = idFrames('sync', Array(MAX_SYNC_IDS).fill('x'.repeat(64)));
      expect(new TextEncoder().encode(encodeChatFrame(frame)).byteLength).to.be.below(48 * 1024);
    });
  });
});
