import { aTimeout, expect } from '@open-wc/testing';
import { HistoryFetch, historyFrames } from '../../../src/chat/chat-history.js';
import {
  decodeChatFrame,
  MAX_HISTORY_BATCH_ITEMS,
  MAX_TEXT_LENGTH,
  type HistoryItem,
} from '../../../src/protocol/chat-messages.js';

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

function fetcher(timeoutMs = 1000) {
  const asked: string[] = [];
  let settled = 0;
  let refuse = new Set<string>();
  const fetch = new HistoryFetch({
    request: (peerId) => {
      asked.push(peerId);
      return !refuse.has(peerId);
    },
    timeoutMs,
    settled: () => settled++,
  });
  return {
    fetch,
    asked,
    settledCount: () => settled,
    refuse: (ids: string[]) => (refuse = new Set(ids)),
  };
}

describe('chat history', () => {
  describe('historyFrames', () => {
    it('sends one final empty frame when there is nothing to tell', () => {
      const frames = historyFrames([]);
      expect(frames.map((f) => decodeChatFrame(f))).to.deep.equal([
        { v: 1, type: 'history', items: [], done: true },
      ]);
    });

    it('splits long history into frames under the byte limit, in order, done only last', () => {
      const items = Array.from({ length: 60 }, (_, n) => item(n + 1, '字'.repeat(MAX_TEXT_LENGTH)));
      const frames = historyFrames(items);
      expect(frames.length).to.be.above(1);
      const decoded = frames.map((f) => decodeChatFrame(f));
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
      const frames = historyFrames(items).map((f) => decodeChatFrame(f));
      expect(frames.every((f) => f !== null)).to.equal(true);
      for (const frame of frames) {
        expect(frame?.type === 'history' && frame.items.length).to.be.at.most(
          MAX_HISTORY_BATCH_ITEMS,
        );
      }
    });
  });

  describe('HistoryFetch', () => {
    it('asks only the first peer that is ready', () => {
      const { fetch, asked } = fetcher();
      fetch.peerReady('a');
      fetch.peerReady('b');
      expect(asked).to.deep.equal(['a']);
      expect(fetch.source).to.equal('a');
      fetch.dispose();
    });

    it('asks the next peer when the one asked leaves before answering', () => {
      const { fetch, asked } = fetcher();
      fetch.peerReady('a');
      fetch.peerReady('b');
      fetch.peerGone('a');
      expect(asked).to.deep.equal(['a', 'b']);
      fetch.dispose();
    });

    it('asks the next peer when the one asked stays silent', async () => {
      const { fetch, asked } = fetcher(30);
      fetch.peerReady('a');
      fetch.peerReady('b');
      await aTimeout(60);
      expect(asked).to.deep.equal(['a', 'b']);
      fetch.dispose();
    });

    it('skips a peer whose channel refuses the request', () => {
      const { fetch, asked, refuse } = fetcher();
      refuse(['a']);
      fetch.peerReady('a');
      fetch.peerReady('b');
      expect(asked).to.deep.equal(['a', 'b']);
      expect(fetch.source).to.equal('b');
      fetch.dispose();
    });

    it('asks nobody else once the answer is complete', () => {
      const { fetch, asked, settledCount } = fetcher();
      fetch.peerReady('a');
      fetch.complete();
      fetch.peerReady('b');
      expect(asked).to.deep.equal(['a']);
      expect(fetch.isDone).to.equal(true);
      expect(settledCount()).to.equal(1);
    });

    it('defers answering others only while waiting on someone else', () => {
      const { fetch } = fetcher();
      expect(fetch.shouldDefer('x')).to.equal(false);
      fetch.peerReady('a');
      expect(fetch.shouldDefer('a')).to.equal(false);
      expect(fetch.shouldDefer('x')).to.equal(true);
      fetch.complete();
      expect(fetch.shouldDefer('x')).to.equal(false);
    });

    it('settles when nobody is left to ask, and asks a newcomer later', () => {
      const { fetch, asked, settledCount } = fetcher();
      fetch.peerReady('a');
      fetch.peerGone('a');
      expect(settledCount()).to.equal(1);
      expect(fetch.source).to.equal(null);
      fetch.peerReady('b');
      expect(asked).to.deep.equal(['a', 'b']);
      fetch.dispose();
    });
  });
});
