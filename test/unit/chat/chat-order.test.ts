import { expect } from '@open-wc/testing';
import { ChatLog, compareOrder, type OrderKey } from '../../../src/chat/chat-order.js';

const key = (id: string, clock: number, senderId: string): OrderKey => ({ id, clock, senderId });

/** The messages as a log of unbounded size holds them: in order, repeated IDs dropped. */
function orderMessages<T extends OrderKey>(messages: Iterable<T>): T[] {
  const log = new ChatLog<T>(Infinity);
  for (const message of messages) log.add(message);
  return [...log.entries];
}

const conversation: OrderKey[] = [
  key('m1', 1, 'alice'),
  key('m2', 2, 'alice'),
  key('m3', 2, 'bob'), // Same clock as m2: the sender ID decides.
  key('m4', 3, 'carol'),
  key('m5', 3, 'carol_2'),
  key('m6', 7, 'alice'),
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('chat ordering', () => {
  it('orders by clock, then sender ID, then message ID', () => {
    expect(compareOrder(key('a', 1, 'z'), key('b', 2, 'a'))).to.be.below(0);
    expect(compareOrder(key('a', 2, 'b'), key('b', 2, 'a'))).to.be.above(0);
    expect(compareOrder(key('a', 2, 'x'), key('b', 2, 'x'))).to.be.below(0);
    expect(compareOrder(key('a', 2, 'x'), key('a', 2, 'x'))).to.equal(0);
  });

  it('puts the same messages in the same order whatever order they arrived in', () => {
    const expected = conversation.map((m) => m.id);
    for (const arrival of permutations(conversation)) {
      expect(orderMessages(arrival).map((m) => m.id)).to.deep.equal(expected);
    }
  });

  it('keeps each message once when it arrives twice', () => {
    const twice = [...conversation, ...conversation.slice().reverse()];
    expect(orderMessages(twice).map((m) => m.id)).to.deep.equal(conversation.map((m) => m.id));
  });

  it('keeps the first copy of a repeated ID', () => {
    const first = key('same', 5, 'alice');
    const forged = key('same', 1, 'mallory');
    expect(orderMessages([first, forged])).to.deep.equal([first]);
  });

  describe('ChatLog', () => {
    it('says false for a duplicate', () => {
      const log = new ChatLog<OrderKey>(10);
      expect(log.add(key('a', 1, 'x'))).to.equal(true);
      expect(log.add(key('a', 9, 'y'))).to.equal(false);
      expect(log.size).to.equal(1);
    });

    it('evicts the oldest beyond its capacity and reports them', () => {
      const evicted: string[] = [];
      const log = new ChatLog<OrderKey>(3, (entry) => evicted.push(entry.id));
      for (const message of conversation) log.add(message);
      expect(log.entries.map((m) => m.id)).to.deep.equal(['m4', 'm5', 'm6']);
      expect(evicted).to.deep.equal(['m1', 'm2', 'm3']);
      expect(log.has('m1')).to.equal(false);
    });

    it('refuses a message older than everything in a full log', () => {
      const log = new ChatLog<OrderKey>(2);
      log.add(key('b', 5, 'x'));
      log.add(key('c', 6, 'x'));
      expect(log.add(key('a', 1, 'x'))).to.equal(false);
      expect(log.entries.map((m) => m.id)).to.deep.equal(['b', 'c']);
    });
  });
});
