import { expect } from '@open-wc/testing';
import {
  canPickSpeaker,
  PlaybackController,
} from '../../../src/controllers/playback-controller.js';
import { FakeHost, settle } from './fake-host.js';

/** A paused video with a stream, whose play() answers as `play` says, counting its calls. */
function video(
  host: FakeHost,
  play: () => Promise<void>,
): { element: HTMLVideoElement; plays: number } {
  const element = document.createElement('video');
  element.srcObject = new MediaStream();
  const counted = { element, plays: 0 };
  element.play = () => {
    counted.plays++;
    return play();
  };
  host.renderRoot.append(element);
  return counted;
}

const refused = (): Promise<void> =>
  Promise.reject(new DOMException('no gesture', 'NotAllowedError'));

describe('PlaybackController', () => {
  it('plays every paused video after a render', async () => {
    const host = new FakeHost();
    new PlaybackController(host);
    const first = video(host, () => Promise.resolve());
    const second = video(host, () => Promise.resolve());
    host.updated();
    await settle();
    expect([first.plays, second.plays]).to.deep.equal([1, 1]);
  });

  it('leaves a video without a stream alone', async () => {
    const host = new FakeHost();
    new PlaybackController(host);
    const empty = video(host, () => Promise.resolve());
    empty.element.srcObject = null;
    host.updated();
    await settle();
    expect(empty.plays).to.equal(0);
  });

  it('asks for a touch when sound is refused, once, and plays again on unlock', async () => {
    const host = new FakeHost();
    const playback = new PlaybackController(host);
    const remote = video(host, refused);
    host.updated();
    await settle();
    host.updated();
    await settle();
    expect(playback.needsSoundUnlock).to.equal(true);
    expect(host.updates).to.equal(1);

    remote.element.play = () => {
      remote.plays++;
      return Promise.resolve();
    };
    playback.unlockSound();
    await settle();
    expect(playback.needsSoundUnlock).to.equal(false);
    expect(remote.plays).to.equal(3);
    expect(host.updates).to.equal(2);
  });

  it('does not ask for a touch when playing fails for another reason', async () => {
    const host = new FakeHost();
    const playback = new PlaybackController(host);
    video(host, () => Promise.reject(new DOMException('gone', 'AbortError')));
    host.updated();
    await settle();
    expect(playback.needsSoundUnlock).to.equal(false);
    expect(host.updates).to.equal(0);
  });

  it('sends every video’s sound to the speaker picked, where the browser can', async function () {
    if (!canPickSpeaker()) this.skip();
    const host = new FakeHost();
    const playback = new PlaybackController(host);
    const sinks: string[] = [];
    const { element } = video(host, () => Promise.resolve());
    element.setSinkId = (id: string) => {
      sinks.push(id);
      return Promise.resolve();
    };
    host.updated();
    expect(sinks, 'already on the system’s speaker').to.deep.equal([]);
    playback.chooseSpeaker('speaker-2');
    expect(playback.speakerId).to.equal('speaker-2');
    expect(host.updates).to.equal(1);
    host.updated();
    expect(sinks).to.deep.equal(['speaker-2']);
  });
});
