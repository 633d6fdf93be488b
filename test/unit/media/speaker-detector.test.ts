import { expect } from '@open-wc/testing';
import { SpeakerDetector } from '../../../src/media/speaker-detector.js';

const POLICY = { threshold: 0.05, smoothingMs: 300, switchAfterMs: 400 };

/** Feeds one sample every 100 ms and returns the speaker after each. */
function run(samples: Array<Record<string, number>>): Array<string | null> {
  const detector = new SpeakerDetector(POLICY);
  return samples.map((levels, index) =>
    detector.update(index * 100, new Map(Object.entries(levels))),
  );
}

const repeat = <T>(count: number, item: T): T[] => Array.from({ length: count }, () => item);

describe('SpeakerDetector', () => {
  it('names nobody while everyone is quiet', () => {
    expect(run(repeat(10, { a: 0.01, b: 0.02 })).every((s) => s === null)).to.equal(true);
  });

  it('names the first voice at once', () => {
    expect(run([{ a: 0.3, b: 0 }])).to.deep.equal(['a']);
  });

  it('keeps the speaker through a silence', () => {
    const speakers = run([{ a: 0.3, b: 0 }, ...repeat(30, { a: 0, b: 0 })]);
    expect(speakers.every((speaker) => speaker === 'a')).to.equal(true);
  });

  it('lets another voice take over once it has been the louder one long enough', () => {
    const speakers = run([...repeat(5, { a: 0.3, b: 0 }), ...repeat(15, { a: 0, b: 0.3 })]);
    const switchedAt = speakers.indexOf('b');
    expect(speakers.slice(0, switchedAt).every((speaker) => speaker === 'a')).to.equal(true);
    expect(speakers.slice(switchedAt).every((speaker) => speaker === 'b')).to.equal(true);
    // Smoothing first, then 400 ms as the louder one: never before the fifth sample of b.
    expect(switchedAt).to.be.within(9, 14);
  });

  it('follows a voice that comes in syllables, loud then silent', () => {
    const syllables = [...repeat(10, { a: 0.3, b: 0 })];
    for (let i = 0; i < 6; i++) syllables.push({ a: 0, b: 0.5 }, { a: 0, b: 0 }, { a: 0, b: 0 });
    expect(run(syllables).at(-1)).to.equal('b');
  });

  it('does not flicker on a short burst from someone else', () => {
    const speakers = run([
      ...repeat(5, { a: 0.3, b: 0 }),
      { a: 0.3, b: 0.6 },
      { a: 0.3, b: 0.6 },
      ...repeat(10, { a: 0.3, b: 0 }),
    ]);
    expect(speakers.every((speaker) => speaker === 'a')).to.equal(true);
  });

  it('forgets a speaker who left', () => {
    const detector = new SpeakerDetector(POLICY);
    detector.update(0, new Map([['a', 0.5]]));
    expect(detector.update(100, new Map([['b', 0]]))).to.equal(null);
  });
});
