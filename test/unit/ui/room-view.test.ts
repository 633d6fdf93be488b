import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Layout } from '../../../src/config.js';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import { encodeChatFrame, type ChatTextFrame } from '../../../src/protocol/chat-messages.js';
import { PROTOCOL_VERSION } from '../../../src/protocol/messages.js';
import '../../../src/rtc-room.js';
import type { RtcRoom } from '../../../src/rtc-room.js';
import type { RtcChatPanel } from '../../../src/ui/chat-panel.js';
import {
  FAKE_SERVER,
  joinWithFakes,
  movingStream,
  type JoinedRoom,
} from '../support/joined-room.js';

const ROOM = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';
const en = LANGUAGES.en;
const zh = LANGUAGES['zh-CN'];
// Contrast is checked once, in the lobby; here every state's names, roles and labels are.
const A11Y = { ignoredRules: ['color-contrast'] };

let rooms: JoinedRoom[] = [];

async function joinedRoom(
  size = { width: 960, height: 600 },
  attributes: { layout?: Layout; lang?: string } = {},
): Promise<{ el: RtcRoom; room: JoinedRoom }> {
  const el = await fixture<RtcRoom>(
    html`<rtc-room
      room-id=${ROOM}
      server=${FAKE_SERVER}
      name="Ada"
      layout=${attributes.layout ?? 'grid'}
      lang=${attributes.lang ?? 'en'}
      style="width: ${size.width}px; height: ${size.height}px"
    ></rtc-room>`,
  );
  const room = await joinWithFakes(el);
  rooms.push(room);
  return { el, room };
}

function shadow(el: RtcRoom): ShadowRoot {
  return el.shadowRoot!;
}

function tiles(el: RtcRoom): HTMLElement[] {
  return [...shadow(el).querySelectorAll<HTMLElement>('[part~="tile"]')];
}

function button(el: RtcRoom, action: string): HTMLButtonElement {
  return shadow(el).querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
}

function chatPanel(el: RtcRoom): RtcChatPanel {
  return shadow(el).querySelector('rtc-chat-panel')!;
}

function chatInput(el: RtcRoom): HTMLTextAreaElement {
  return chatPanel(el).shadowRoot!.querySelector('textarea')!;
}

/** Clicks the chat button and waits for the panel (a chunk of its own) to be shown. */
async function toggleChat(el: RtcRoom, open = true): Promise<void> {
  button(el, 'chat').click();
  await waitUntil(
    () => {
      const pane = shadow(el).querySelector<HTMLElement>('.chat-pane');
      return pane && pane.hidden !== open && chatPanel(el)?.shadowRoot;
    },
    open ? 'the chat opens' : 'the chat closes',
  );
}

async function typeAndSend(el: RtcRoom, text: string): Promise<void> {
  const input = chatInput(el);
  input.value = text;
  input.dispatchEvent(new InputEvent('input'));
  await chatPanel(el).updateComplete;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  await chatPanel(el).updateComplete;
}

async function waitForTiles(el: RtcRoom, count: number): Promise<void> {
  await waitUntil(() => tiles(el).length === count, `${count} tiles`);
  // The stage is measured after the first render with the new tiles.
  await waitUntil(() => tiles(el).every((tile) => tile.offsetWidth > 0), 'tiles laid out');
}

function isInside(inner: DOMRect, outer: DOMRect): boolean {
  const slack = 1;
  return (
    inner.left >= outer.left - slack &&
    inner.top >= outer.top - slack &&
    inner.right <= outer.right + slack &&
    inner.bottom <= outer.bottom + slack
  );
}

function overlaps(a: DOMRect, b: DOMRect): boolean {
  return (
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1
  );
}

const area = (rect: DOMRect): number => rect.width * rect.height;

/** Records every load-related event of every <video> in the room, and its play position. */
function watchVideos(el: RtcRoom): { reloads: string[]; stop: () => void } {
  const reloads: string[] = [];
  const record = (event: Event): void => {
    const video = event.target as HTMLVideoElement;
    if (video.dataset.watched) reloads.push(`${event.type} on ${video.dataset.watched}`);
  };
  for (const type of ['emptied', 'loadstart', 'abort']) {
    shadow(el).addEventListener(type, record, true);
  }
  return {
    reloads,
    stop: () => {
      for (const type of ['emptied', 'loadstart', 'abort']) {
        shadow(el).removeEventListener(type, record, true);
      }
    },
  };
}

describe('<rtc-room> in a room', () => {
  afterEach(() => {
    for (const room of rooms) room.close();
    rooms = [];
  });

  describe('video', () => {
    it('never reloads a video across renders, chat, toggles, layouts and a visitor coming and going', async () => {
      const { el, room } = await joinedRoom();
      for (const name of ['Grace', 'Linus']) room.addPeer(name);
      await waitForTiles(el, 3);
      const videos = [...shadow(el).querySelectorAll('video')];
      expect(videos).to.have.length(3);
      await waitUntil(() => videos.every((video) => video.currentTime > 0), 'videos playing');
      videos.forEach((video, index) => (video.dataset.watched = String(index)));
      const watch = watchVideos(el);
      const times = videos.map((video) => video.currentTime);
      const goesBack: string[] = [];
      const sample = (): void =>
        videos.forEach((video, index) => {
          if (video.currentTime < times[index]) goesBack.push(`video ${index}`);
          times[index] = video.currentTime;
        });

      for (let round = 0; round < 6; round++) {
        el.requestUpdate();
        await el.updateComplete;
        sample();
        await aTimeout(50);
      }
      await el.sendMessage('hello');
      await el.setMicrophoneEnabled(false);
      await el.setMicrophoneEnabled(true);
      sample();
      const fourth = room.addPeer('Margaret');
      await waitForTiles(el, 4);
      sample();
      for (const layout of ['speaker', 'sidebar', 'grid'] as const) {
        el.layout = layout;
        await el.updateComplete;
        await aTimeout(50);
        sample();
      }
      fourth.close();
      await waitForTiles(el, 3);
      await aTimeout(300);
      sample();
      watch.stop();

      expect(watch.reloads).to.deep.equal([]);
      expect(goesBack).to.deep.equal([]);
      const now = [...shadow(el).querySelectorAll('video')];
      expect(now.length).to.equal(3);
      for (const video of videos) expect(now).to.include(video);
      videos.forEach((video, index) => {
        expect(video.currentTime, `video ${index} moved on`).to.be.greaterThan(0.5);
      });
    });

    it('gives a video a new stream when the participant’s stream really changes', async () => {
      const { el, room } = await joinedRoom();
      const link = room.addPeer('Grace');
      await waitForTiles(el, 2);
      const video = shadow(el).querySelector<HTMLVideoElement>(
        '[part~="tile"]:not([part~="tile-local"]) video',
      )!;
      const first = video.srcObject;
      const replacement = new MediaStream((first as MediaStream).getTracks());
      link.fire('stream', replacement);
      await waitUntil(() => video.srcObject === replacement, 'the new stream is shown');
    });

    it('shows a visitor’s picture as it comes, as connecting, and the same video once named', async () => {
      const { el, room } = await joinedRoom();
      const link = room.transport.ring(`${ROOM}_00000000000000ff`);
      const stream = movingStream();
      link.fire('stream', stream);
      await waitForTiles(el, 2);
      const tile = shadow(el).querySelector('[part~="tile"]:not([part~="tile-local"])')!;
      expect(tile.getAttribute('aria-label')).to.equal(en.connecting);
      const video = tile.querySelector<HTMLVideoElement>('video')!;
      expect(video.hidden).to.equal(false);
      await waitUntil(() => video.videoWidth > 0, 'the picture shows before the name');
      link.fire('open', undefined);
      link.fire(
        'message',
        JSON.stringify({
          v: PROTOCOL_VERSION,
          type: 'hello',
          name: 'Grace',
          audio: true,
          video: true,
        }),
      );
      await waitUntil(() => tile.getAttribute('aria-label') === 'Grace', 'the name');
      expect(tile.querySelector('video')).to.equal(video);
      for (const track of stream.getTracks()) track.stop();
    });

    it('renders nothing while its answer to a caller is being made, and the caller right after', async () => {
      const { el, room } = await joinedRoom();
      room.transport.holdsDescriptions = true;
      const link = room.transport.ring(`${ROOM}_00000000000000ff`);
      const stream = movingStream();
      // Its stream comes with its offer, before our answer is out: its tile waits for it.
      link.fire('stream', stream);
      await aTimeout(0);
      expect(el.isUpdatePending, 'a render waits').to.equal(true);
      expect(tiles(el), 'while the answer is being made').to.have.length(1);
      link.finishDescribing();
      await waitForTiles(el, 2);
      for (const track of stream.getTracks()) track.stop();
    });
  });

  describe('layout', () => {
    const boxes = [
      { width: 800, height: 450 },
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ];
    for (const box of boxes) {
      for (const layout of ['grid', 'speaker', 'sidebar'] as const) {
        it(`keeps 4 tiles and the controls inside a ${box.width}×${box.height} box in ${layout}`, async () => {
          const { el, room } = await joinedRoom(box, { layout });
          for (const name of ['Grace', 'Linus', 'Margaret']) room.addPeer(name);
          await waitForTiles(el, 4);
          const host = el.getBoundingClientRect();
          expect(host.width).to.equal(box.width);
          expect(host.height).to.equal(box.height);
          const rects = tiles(el).map((tile) => tile.getBoundingClientRect());
          for (const rect of rects) expect(isInside(rect, host), 'tile inside').to.equal(true);
          for (const [i, a] of rects.entries()) {
            for (const b of rects.slice(i + 1))
              expect(overlaps(a, b), 'tiles overlap').to.equal(false);
          }
          const controls = shadow(el).querySelector('[part~="controls"]')!;
          const buttons = [...controls.querySelectorAll('button')].filter(
            (b) => !b.closest('[popover]'),
          );
          for (const control of [controls, ...buttons]) {
            expect(isInside(control.getBoundingClientRect(), host), 'control inside').to.equal(
              true,
            );
          }
          for (const control of buttons) {
            const rect = control.getBoundingClientRect();
            expect(Math.min(rect.width, rect.height), 'touch target').to.be.at.least(44);
          }
          if (layout !== 'grid') {
            const featured = shadow(el).querySelector('[part~="tile-featured"]')!;
            const largest = Math.max(...rects.map(area));
            expect(area(featured.getBoundingClientRect())).to.equal(largest);
          }
        });
      }
    }

    it('spaces the tiles by --rtc-room-gap, in any unit, and again when the box changes', async () => {
      const el = await fixture<RtcRoom>(
        html`<rtc-room
          room-id=${ROOM}
          server=${FAKE_SERVER}
          name="Ada"
          lang="en"
          style="width: 960px; height: 600px; --rtc-room-gap: 1.5rem"
        ></rtc-room>`,
      );
      const room = await joinWithFakes(el);
      rooms.push(room);
      room.addPeer('Grace');
      await waitForTiles(el, 2);
      const spacing = (): number => {
        const [a, b] = tiles(el).map((tile) => tile.getBoundingClientRect());
        return Math.round(Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom));
      };
      await waitUntil(() => spacing() === 24, `1.5rem between the tiles, not ${spacing()} px`);
      el.style.setProperty('--rtc-room-gap', '10px');
      el.style.width = '900px';
      await waitUntil(() => spacing() === 10, `10px between the tiles, not ${spacing()} px`);
    });

    it('switches layout from the layout menu', async () => {
      const { el, room } = await joinedRoom();
      room.addPeer('Grace');
      await waitForTiles(el, 2);
      button(el, 'layout').click();
      const menu = shadow(el).querySelector<HTMLElement>('[part~="layout-menu"]')!;
      await waitUntil(() => menu.matches(':popover-open'), 'the menu opens');
      const speaker = menu.querySelector<HTMLButtonElement>('[data-layout="speaker"]')!;
      expect(speaker.getAttribute('aria-checked')).to.equal('false');
      speaker.click();
      await el.updateComplete;
      expect(el.getAttribute('layout')).to.equal('speaker');
      expect(menu.matches(':popover-open')).to.equal(false);
      expect(speaker.getAttribute('aria-checked')).to.equal('true');
      expect(button(el, 'layout').getAttribute('aria-label')).to.equal(
        `${en.layout}: ${en.layouts.speaker}`,
      );
    });

    it('names the layout menu and its choices in Chinese', async () => {
      const { el } = await joinedRoom(undefined, { lang: 'zh-CN' });
      const names = [...shadow(el).querySelectorAll('[data-layout]')].map((b) =>
        b.textContent!.trim(),
      );
      expect(names).to.deep.equal([zh.layouts.grid, zh.layouts.speaker, zh.layouts.sidebar]);
    });
  });

  describe('chat', () => {
    it('keeps the draft when the chat is closed and opened again', async () => {
      const { el } = await joinedRoom();
      await toggleChat(el);
      const input = chatInput(el);
      input.value = 'half a thought';
      input.dispatchEvent(new InputEvent('input'));
      await toggleChat(el, false);
      expect(shadow(el).querySelector<HTMLElement>('.chat-pane')!.hidden).to.equal(true);
      await toggleChat(el);
      expect(chatInput(el).value).to.equal('half a thought');
    });

    it('keeps the draft when a send is refused as too fast', async () => {
      const { el } = await joinedRoom();
      await toggleChat(el);
      let refusal = '';
      el.addEventListener('rtc-error', (event) => (refusal ||= event.detail.code));
      let sent = 0;
      // The room allows a burst of messages; the first one past it is refused.
      while (!refusal && sent < 50) {
        await typeAndSend(el, `message ${sent++}`);
        await aTimeout(0);
      }
      expect(refusal).to.equal('chat-rate-limited');
      await waitUntil(
        () => chatInput(el).value === `message ${sent - 1}`,
        'the refused text comes back',
      );
    });

    it('covers the stage on a narrow screen, with a close button that returns focus', async () => {
      const { el, room } = await joinedRoom({ width: 390, height: 844 });
      room.addPeer('Grace');
      await waitForTiles(el, 2);
      await toggleChat(el);
      const pane = shadow(el).querySelector<HTMLElement>('.chat-pane')!;
      const stage = shadow(el).querySelector('[part~="stage"]')!.getBoundingClientRect();
      const host = el.getBoundingClientRect();
      const paneRect = pane.getBoundingClientRect();
      expect(isInside(paneRect, host)).to.equal(true);
      expect(paneRect.width).to.be.at.least(stage.width - 1);
      expect(paneRect.height).to.be.at.least(stage.height - 1);
      const close = button(el, 'close-chat');
      expect(isInside(close.getBoundingClientRect(), host)).to.equal(true);
      close.click();
      await waitUntil(() => shadow(el).activeElement === button(el, 'chat'), 'focus returns');
      expect(pane.hidden).to.equal(true);
    });

    it('sits beside the tiles on a wide screen', async () => {
      const { el, room } = await joinedRoom({ width: 1280, height: 800 });
      room.addPeer('Grace');
      await waitForTiles(el, 2);
      await toggleChat(el);
      await aTimeout(50);
      const pane = shadow(el).querySelector('.chat-pane')!.getBoundingClientRect();
      for (const tile of tiles(el)) {
        expect(overlaps(tile.getBoundingClientRect(), pane)).to.equal(false);
      }
    });
  });

  describe('connection quality', () => {
    /** Statistics as a browser reports them: the selected pair and the incoming media. */
    function statsReport(roundTrip: number, received: number, lost: number): RTCStatsReport {
      return new Map<string, Record<string, unknown>>([
        ['t', { type: 'transport', selectedCandidatePairId: 'p' }],
        [
          'p',
          {
            type: 'candidate-pair',
            localCandidateId: 'l',
            remoteCandidateId: 'r',
            currentRoundTripTime: roundTrip,
          },
        ],
        ['l', { type: 'local-candidate', candidateType: 'host' }],
        ['r', { type: 'remote-candidate', candidateType: 'host' }],
        ['v', { type: 'inbound-rtp', packetsReceived: received, packetsLost: lost, jitter: 0.005 }],
      ]) as unknown as RTCStatsReport;
    }

    it('shows good, then poor when packets start to be lost, in bars and in the details', async () => {
      const { el, room } = await joinedRoom();
      const link = room.addPeer('Grace');
      let report = statsReport(0.02, 1000, 0);
      link.getStats = () => Promise.resolve(report);
      await waitForTiles(el, 2);
      const quality = (): string | null | undefined =>
        shadow(el).querySelector('[part~="quality"]')?.getAttribute('data-quality');
      await waitUntil(() => quality() === 'good', 'good', { timeout: 5000 });
      expect(shadow(el).querySelector('[part~="quality"]')!.getAttribute('aria-label')).to.equal(
        en.quality.good,
      );
      report = statsReport(0.02, 1900, 100);
      await waitUntil(() => quality() === 'poor', 'poor after 10% loss', { timeout: 5000 });
      const details = shadow(el).querySelector('[part~="connection-info"]')!.textContent!;
      expect(details).to.contain(en.quality.poor);
    });
  });

  describe('active speaker', () => {
    it('outlines whoever speaks, features them in speaker layout and says so in rtc-speaker', async () => {
      const { el, room } = await joinedRoom(undefined, { layout: 'speaker' });
      const grace = room.addPeer('Grace');
      const linus = room.addPeer('Linus');
      await waitForTiles(el, 3);
      const speaking = (): string | null | undefined =>
        shadow(el).querySelector('[part~="tile-speaking"]')?.getAttribute('aria-label');
      const featured = (): string | null | undefined =>
        shadow(el).querySelector('[part~="tile-featured"]')?.getAttribute('aria-label');
      const firstEvent = oneEvent(el, 'rtc-speaker');
      linus.level = 0.4;
      expect((await firstEvent).detail.participant?.name).to.equal('Linus');
      await waitUntil(() => speaking() === 'Linus', 'Linus outlined');
      expect(featured()).to.equal('Linus');
      linus.level = 0;
      grace.level = 0.4;
      await waitUntil(() => speaking() === 'Grace', 'Grace takes over', { timeout: 5000 });
      expect(featured()).to.equal('Grace');
    });
  });

  describe('screen share', () => {
    /** Makes getDisplayMedia answer with `answer` (a stream, or an error to throw). */
    function stubDisplayMedia(answer: MediaStream | Error): () => void {
      const devices = navigator.mediaDevices;
      const original = devices.getDisplayMedia;
      devices.getDisplayMedia = () =>
        answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      return () => {
        devices.getDisplayMedia = original;
      };
    }

    const screenTiles = (el: RtcRoom): HTMLElement[] => [
      ...shadow(el).querySelectorAll<HTMLElement>('[part~="tile-screen"]'),
    ];

    it('sends the screen to everyone as its own tile, large in speaker, until the browser stops it', async () => {
      const { el, room } = await joinedRoom(undefined, { layout: 'speaker' });
      const grace = room.addPeer('Grace');
      await waitForTiles(el, 2);
      const screen = movingStream();
      const restore = stubDisplayMedia(screen);
      try {
        button(el, 'screen').click();
        await waitUntil(() => grace.sharedScreen === screen, 'the screen is sent to Grace');
      } finally {
        restore();
      }
      await waitUntil(() => screenTiles(el).length === 1, 'a screen tile');
      const tile = screenTiles(el)[0];
      expect(tile.getAttribute('aria-label')).to.equal(en.screenOf('Ada'));
      expect(tile.matches('[part~="tile-featured"]')).to.equal(true);
      expect(button(el, 'screen').getAttribute('aria-label')).to.equal(en.stopScreenShare);
      expect(el.participants[0].screen).to.equal(screen);
      // The browser's own "Stop sharing" ends the track.
      screen.getVideoTracks()[0].dispatchEvent(new Event('ended'));
      await waitUntil(() => screenTiles(el).length === 0, 'the screen tile goes');
      expect(grace.sharedScreen).to.equal(null);
    });

    it('shows another visitor’s screen, and takes it away when they stop', async () => {
      const { el, room } = await joinedRoom(undefined, { layout: 'speaker' });
      const link = room.addPeer('Grace');
      await waitForTiles(el, 2);
      link.fire('screen', movingStream());
      await waitUntil(() => screenTiles(el).length === 1, 'Grace’s screen');
      expect(screenTiles(el)[0].getAttribute('aria-label')).to.equal(en.screenOf('Grace'));
      expect(screenTiles(el)[0].matches('[part~="tile-featured"]')).to.equal(true);
      await waitUntil(() => screenTiles(el)[0].querySelector('video')!.videoWidth > 0, 'frames');
      link.fire('screen', null);
      await waitUntil(() => screenTiles(el).length === 0, 'the screen goes');
      expect(tiles(el)).to.have.length(2);
    });

    it('reports a refused screen share and goes on with the call', async () => {
      const { el, room } = await joinedRoom();
      room.addPeer('Grace');
      await waitForTiles(el, 2);
      const restore = stubDisplayMedia(new DOMException('no', 'NotAllowedError'));
      try {
        const failed = oneEvent(el, 'rtc-error');
        button(el, 'screen').click();
        expect((await failed).detail.code).to.equal('screen-share-denied');
      } finally {
        restore();
      }
      let rejected: unknown;
      const restoreAgain = stubDisplayMedia(new DOMException('no', 'NotAllowedError'));
      try {
        await el.startScreenShare().catch((error: unknown) => (rejected = error));
      } finally {
        restoreAgain();
      }
      expect((rejected as { code: string }).code).to.equal('screen-share-denied');
      expect(el.state).to.equal('joined');
      expect(screenTiles(el)).to.have.length(0);
    });
  });

  describe('pin and full screen', () => {
    function tileOf(el: RtcRoom, name: string): HTMLElement {
      return tiles(el).find((tile) => tile.getAttribute('aria-label')?.startsWith(name))!;
    }

    it('shows a pinned tile large, even in the grid, and unpins it', async () => {
      const { el, room } = await joinedRoom();
      for (const name of ['Grace', 'Linus']) room.addPeer(name);
      await waitForTiles(el, 3);
      const linus = tileOf(el, 'Linus');
      const pin = linus.querySelector<HTMLButtonElement>('[data-action="pin"]')!;
      expect(pin.getAttribute('aria-label')).to.equal(en.pin('Linus'));
      pin.click();
      await el.updateComplete;
      await aTimeout(0);
      expect(linus.matches('[part~="tile-featured"]')).to.equal(true);
      expect(pin.getAttribute('aria-pressed')).to.equal('true');
      expect(pin.getAttribute('aria-label')).to.equal(en.unpin('Linus'));
      const areas = tiles(el).map((tile) => area(tile.getBoundingClientRect()));
      expect(area(linus.getBoundingClientRect())).to.equal(Math.max(...areas));
      expect(el.layout, 'the page’s layout is left alone').to.equal('grid');
      pin.click();
      await el.updateComplete;
      expect(shadow(el).querySelector('[part~="tile-featured"]')).to.equal(null);
    });

    it('keeps a pinned tile large in speaker layout when others come and go', async () => {
      const { el, room } = await joinedRoom(undefined, { layout: 'speaker' });
      room.addPeer('Grace');
      room.addPeer('Linus');
      await waitForTiles(el, 3);
      tileOf(el, 'Linus').querySelector<HTMLButtonElement>('[data-action="pin"]')!.click();
      await el.updateComplete;
      const margaret = room.addPeer('Margaret');
      await waitForTiles(el, 4);
      expect(tileOf(el, 'Linus').matches('[part~="tile-featured"]')).to.equal(true);
      margaret.close();
      await waitForTiles(el, 3);
      expect(tileOf(el, 'Linus').matches('[part~="tile-featured"]')).to.equal(true);
    });

    it('asks for full screen on the tile, and on the room from the controls', async () => {
      const { el, room } = await joinedRoom();
      room.addPeer('Grace');
      await waitForTiles(el, 2);
      const asked: Element[] = [];
      const original = Element.prototype.requestFullscreen;
      Element.prototype.requestFullscreen = function (this: Element) {
        asked.push(this);
        return Promise.resolve();
      };
      try {
        const grace = tileOf(el, 'Grace');
        grace.querySelector<HTMLButtonElement>('[data-action="fullscreen-tile"]')!.click();
        button(el, 'fullscreen').click();
      } finally {
        Element.prototype.requestFullscreen = original;
      }
      expect(asked).to.deep.equal([tileOf(el, 'Grace'), el]);
      expect(button(el, 'fullscreen').getAttribute('aria-label')).to.equal(en.fullscreen);
    });
  });

  describe('for assistive technology', () => {
    it('announces joins, leaves and messages in a live region', async () => {
      const { el, room } = await joinedRoom();
      const region = shadow(el).querySelector('[aria-live="polite"][role="status"]')!;
      const link = room.addPeer('Grace');
      await waitUntil(() => region.textContent!.trim() === en.announce.joined('Grace'), 'join');
      const frame = {
        v: PROTOCOL_VERSION,
        type: 'chat',
        id: crypto.randomUUID(),
        clock: 1,
        text: 'hi',
      };
      link.fire('message', encodeChatFrame(frame as ChatTextFrame));
      await waitUntil(() => region.textContent!.trim() === en.announce.message('Grace'), 'message');
      link.close();
      await waitUntil(() => region.textContent!.trim() === en.announce.left('Grace'), 'leave');
    });

    it('is accessible in the room', async () => {
      const { el, room } = await joinedRoom();
      room.addPeer('Grace');
      await waitForTiles(el, 2);
      await expect(el).to.be.accessible(A11Y);
    });

    it('is accessible with the chat open', async () => {
      const { el } = await joinedRoom();
      await toggleChat(el);
      await expect(el).to.be.accessible(A11Y);
    });

    it('is accessible with the layout menu open, in Chinese', async () => {
      const { el } = await joinedRoom(undefined, { lang: 'zh-CN' });
      button(el, 'layout').click();
      await oneEvent(shadow(el).querySelector('[part~="layout-menu"]')!, 'toggle');
      await expect(el).to.be.accessible(A11Y);
    });

    it('names every control in both languages', async () => {
      for (const lang of ['en', 'zh-CN']) {
        const { el } = await joinedRoom(undefined, { lang });
        const strings = LANGUAGES[lang as 'en' | 'zh-CN'];
        const controls = [...shadow(el).querySelectorAll('[part~="controls"] button')];
        const names = controls.map((b) => b.getAttribute('aria-label') ?? b.textContent!.trim());
        expect(names.every((name) => name.length > 0)).to.equal(true);
        expect(names).to.include(strings.leave);
        expect(names).to.include(strings.chat.title);
      }
    });
  });
});
