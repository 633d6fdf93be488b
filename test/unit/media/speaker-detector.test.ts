import { expect } from '@open-wc/testing';
import { SpeakerDetector } from '../../../src/media/speaker-detector.js';

const POLICY = { threshold: 0.1, switchAfterMs: 400 };

/** Feeds one sample every 100 ms and returns the speaker after each. */
function run(samples: Array<Record<string, number>>): Array<string | null> {
  const detector = new SpeakerDetector(POLICY);
  return samples.map((levels, index) =>
    detector.update(index * 100, new Map(Object.entries(levels))),
  );
}

describe('SpeakerDetector', () => {
  it('names nobody while everyone is quiet', () => {
    expect(
      run([
        { a: 0.01, b: 0.05 },
        { a: 0, b: 0.09 },
      ]),
    ).to.deep.equal([null, null]);
  });

  it('names the first voice at once', () => {
    expect(run([{ a: 0.3, b: 0 }])).to.deep.equal(['a']);
  });

  it('keeps the speaker through a silence', () => {
    expect(
      run([
        { a: 0.3, b: 0 },
        { a: 0, b: 0 },
        { a: 0, b: 0 },
      ]),
    ).to.deep.equal(['a', 'a', 'a']);
  });

  it('lets a louder voice take over only after it stays loudest long enough', () => {
    const louderB = { a: 0.2, b: 0.5 };
    const speakers = run([{ a: 0.3 }, louderB, louderB, louderB, louderB, louderB, louderB]);
    expect(speakers).to.deep.equal(['a', 'a', 'a', 'a', 'a', 'b', 'b']);
  });

  it('does not flicker on a short burst from someone else', () => {
    const speakers = run([
      { a: 0.3, b: 0 },
      { a: 0.2, b: 0.6 },
      { a: 0.2, b: 0.6 },
      { a: 0.3, b: 0 },
      { a: 0.2, b: 0.6 },
      { a: 0.3, b: 0 },
    ]);
    expect(speakers.every((speaker) => speaker === 'a')).to.equal(true);
  });

  it('forgets a speaker who left', () => {
    const detector = new SpeakerDetector(POLICY);
    detector.update(0, new Map([['a', 0.5]]));
    expect(detector.update(100, new Map([['b', 0]]))).to.equal(null);
  });
});
