import { expect } from '@open-wc/testing';
import {
  FullscreenController,
  type FullscreenHost,
} from '../../../src/controllers/fullscreen-controller.js';
import { FakeHost } from './fake-host.js';

/** An element standing in for <rtc-room>, with a FakeHost's controller side. */
function fullscreenHost(): FullscreenHost & { fake: FakeHost; requested: number } {
  const fake = new FakeHost();
  const element = document.createElement('div');
  return Object.assign(element, {
    fake,
    requested: 0,
    renderRoot: fake.renderRoot,
    addController: fake.addController.bind(fake),
    removeController: fake.removeController.bind(fake),
    requestUpdate: fake.requestUpdate.bind(fake),
    updateComplete: fake.updateComplete,
    requestFullscreen(this: { requested: number }) {
      this.requested++;
      return Promise.resolve();
    },
  });
}

/** Makes document.fullscreenElement read `element` until `restore()`. */
function fullscreenElementIs(element: () => Element | null): () => void {
  Object.defineProperty(document, 'fullscreenElement', { configurable: true, get: element });
  return () => delete (document as { fullscreenElement?: unknown }).fullscreenElement;
}

describe('FullscreenController', () => {
  it('follows fullscreenchange: full screen only while the host itself fills the screen', () => {
    const host = fullscreenHost();
    const fullscreen = new FullscreenController(host);
    let current: Element | null = null;
    const restore = fullscreenElementIs(() => current);
    try {
      fullscreen.hostConnected();
      current = host;
      document.dispatchEvent(new Event('fullscreenchange'));
      expect(fullscreen.isFullscreen).to.equal(true);
      document.dispatchEvent(new Event('fullscreenchange'));
      expect(host.fake.updates, 'one update per change').to.equal(1);
      current = document.createElement('figure');
      document.dispatchEvent(new Event('fullscreenchange'));
      expect(fullscreen.isFullscreen, 'a tile in full screen').to.equal(false);
      fullscreen.hostDisconnected();
      current = host;
      document.dispatchEvent(new Event('fullscreenchange'));
      expect(fullscreen.isFullscreen, 'not listening once disconnected').to.equal(false);
    } finally {
      restore();
    }
  });

  it('puts the host into full screen, and leaves full screen when something fills it', () => {
    const host = fullscreenHost();
    const fullscreen = new FullscreenController(host);
    let current: Element | null = null;
    const restore = fullscreenElementIs(() => current);
    const realExit = document.exitFullscreen;
    let exits = 0;
    document.exitFullscreen = () => {
      exits++;
      return Promise.resolve();
    };
    try {
      fullscreen.toggle();
      expect([host.requested, exits]).to.deep.equal([1, 0]);
      current = document.createElement('figure');
      fullscreen.toggle();
      expect([host.requested, exits]).to.deep.equal([1, 1]);
    } finally {
      document.exitFullscreen = realExit;
      restore();
    }
  });

  it('puts one tile into full screen by its ID', () => {
    const host = fullscreenHost();
    const fullscreen = new FullscreenController(host);
    const tile = document.createElement('figure');
    tile.dataset.peerId = 'room_ada:screen';
    let requested = 0;
    tile.requestFullscreen = () => {
      requested++;
      return Promise.resolve();
    };
    host.renderRoot.append(tile);
    fullscreen.showTile('room_ada:screen');
    fullscreen.showTile('nobody');
    expect(requested).to.equal(1);
  });
});
