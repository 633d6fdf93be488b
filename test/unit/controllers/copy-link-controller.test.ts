import { expect } from '@open-wc/testing';
import {
  COPIED_FOR_MS,
  CopyLinkController,
} from '../../../src/controllers/copy-link-controller.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeHost } from './fake-host.js';

/** Puts a clipboard that does as `write` says in place of the browser's, until `restore()`. */
function clipboard(write: (text: string) => Promise<void>): () => void {
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: write },
  });
  return () => delete (navigator as { clipboard?: unknown }).clipboard;
}

describe('CopyLinkController', () => {
  it(`copies the link and says so for ${COPIED_FOR_MS} ms`, async () => {
    const written: string[] = [];
    const restore = clipboard((text) => {
      written.push(text);
      return Promise.resolve();
    });
    try {
      const host = new FakeHost();
      const clock = new FakeClock();
      const copyLink = new CopyLinkController(host, clock);
      await copyLink.copy('https://example.com/?room=r');
      expect(written).to.deep.equal(['https://example.com/?room=r']);
      expect(copyLink.copiedUrl).to.not.equal(null);
      clock.tick(COPIED_FOR_MS - 1);
      expect(copyLink.copiedUrl).to.not.equal(null);
      await copyLink.copy('https://example.com/?room=r');
      clock.tick(COPIED_FOR_MS - 1);
      expect(copyLink.copiedUrl, 'a second copy says so for as long again').to.not.equal(null);
      clock.tick(1);
      expect(copyLink.copiedUrl).to.equal(null);
      expect(clock.pendingTimers).to.equal(0);
      expect(host.updates).to.equal(3);
    } finally {
      restore();
    }
  });

  it('says nothing when the clipboard is refused', async () => {
    const restore = clipboard(() => Promise.reject(new DOMException('no', 'NotAllowedError')));
    try {
      const host = new FakeHost();
      const clock = new FakeClock();
      const copyLink = new CopyLinkController(host, clock);
      await copyLink.copy('https://example.com/?room=r');
      expect(copyLink.copiedUrl).to.equal(null);
      expect(clock.pendingTimers).to.equal(0);
      expect(host.updates).to.equal(0);
    } finally {
      restore();
    }
  });
});
