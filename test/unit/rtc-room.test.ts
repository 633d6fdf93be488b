import {
  aTimeout,
  elementUpdated,
  expect,
  fixture,
  html,
  oneEvent,
  waitUntil,
} from '@open-wc/testing';
import '../../src/rtc-room.js';
import type { RtcRoom } from '../../src/rtc-room.js';
import type { RoomState } from '../../src/events.js';
import { LANGUAGES } from '../../src/i18n/languages.js';

const UUID = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';
/** Closed here, and on Chromium's blocked-port list: every request fails at once. */
const CLOSED_SERVER = 'http://127.0.0.1:9';
/** A server whose API never answers (see `hangingServer`). */
const HANGING_SERVER = 'http://rtc-room.test';
const en = LANGUAGES.en;
// Colour contrast has its own test (default colours), so a colour change fails that one test only.
const A11Y = { ignoredRules: ['color-contrast'] };
const zh = LANGUAGES['zh-CN'];

function part(el: RtcRoom, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

function buttonNamed(el: RtcRoom, text: string): HTMLButtonElement | undefined {
  return [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
}

function roomIdInput(el: RtcRoom): HTMLInputElement {
  return el.shadowRoot!.querySelector<HTMLInputElement>('input[name="room-id"]')!;
}

/** Waits for the lobby, a chunk of its own that loads when the element first shows it. */
async function lobbyShown(el: RtcRoom): Promise<void> {
  await waitUntil(() => part(el, 'lobby'), 'the lobby');
}

async function submitRoomId(el: RtcRoom, typed: string): Promise<void> {
  await lobbyShown(el);
  const input = roomIdInput(el);
  input.value = typed;
  input.dispatchEvent(new InputEvent('input'));
  input.form!.requestSubmit();
  await elementUpdated(el);
}

/** Makes requests to HANGING_SERVER wait forever, so a join stays in `joining`. */
function hangingServer(): () => void {
  const realFetch = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith(HANGING_SERVER)) return new Promise<Response>(() => undefined);
    return realFetch(input, init);
  };
  return () => {
    window.fetch = realFetch;
  };
}

/** Runs `body` with the page at `search`, putting the address back afterwards. */
async function atAddress(search: string, body: () => Promise<void>): Promise<void> {
  const before = location.href;
  history.replaceState(history.state, '', search);
  try {
    await body();
  } finally {
    history.replaceState(history.state, '', before);
  }
}

describe('<rtc-room>', () => {
  describe('without a room ID', () => {
    it('shows the lobby: Create room and a Join by ID form', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      expect(el.state).to.equal('idle');
      await lobbyShown(el);
      expect(part(el, 'lobby')).to.be.instanceOf(HTMLElement);
      expect(part(el, 'prejoin')).to.equal(null);
      expect(buttonNamed(el, en.createRoom)).to.be.instanceOf(HTMLButtonElement);
      const input = roomIdInput(el);
      expect(input.closest('label')?.textContent).to.contain(en.roomIdLabel);
      expect(input.getAttribute('aria-invalid')).to.equal('false');
      expect(buttonNamed(el, en.joinById)?.type).to.equal('submit');
      expect(el.participants).to.deep.equal([]);
    });

    it('is accessible', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      await expect(el).to.be.accessible(A11Y);
    });

    it('meets colour contrast with its default colours', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      await expect(el).to.be.accessible();
    });

    for (const theme of ['light', 'dark'] as const) {
      it(`meets colour contrast in the ${theme} theme, in the lobby and in prejoin`, async () => {
        const lobby = await fixture<RtcRoom>(html`<rtc-room theme=${theme}></rtc-room>`);
        await expect(lobby).to.be.accessible();
        const prejoin = await fixture<RtcRoom>(
          html`<rtc-room theme=${theme} room-id=${UUID}></rtc-room>`,
        );
        await expect(prejoin).to.be.accessible();
      });
    }

    it('shows an inline error for an invalid room ID and marks the field invalid', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      await submitRoomId(el, 'not a room');
      const input = roomIdInput(el);
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      const error = el.shadowRoot!.getElementById(input.getAttribute('aria-describedby')!);
      expect(error?.textContent?.trim()).to.equal(en.roomIdInvalid);
      expect(el.roomId).to.equal('');
      expect(el.state).to.equal('idle');
      await expect(el).to.be.accessible(A11Y);
    });

    it('clears the inline error as soon as the visitor types again', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      await submitRoomId(el, 'short');
      roomIdInput(el).dispatchEvent(new InputEvent('input'));
      await elementUpdated(el);
      expect(roomIdInput(el).getAttribute('aria-invalid')).to.equal('false');
      expect(el.shadowRoot!.querySelector('.field-error')?.textContent?.trim()).to.equal('');
    });

    it('accepts a pasted share link and joins its room', async () => {
      const el = await fixture<RtcRoom>(
        html`<rtc-room server=${CLOSED_SERVER} muted video-off></rtc-room>`,
      );
      const failed = oneEvent(el, 'rtc-error');
      await submitRoomId(el, `  https://x.test/?room=${UUID}  `);
      expect(el.roomId).to.equal(UUID);
      expect(el.getAttribute('room-id')).to.equal(UUID);
      expect(roomIdInput(el)?.getAttribute('aria-invalid') ?? 'false').to.equal('false');
      expect((await failed).detail.code).to.equal('server-unreachable');
    });

    it('refuses a share link whose room parameter is not a room ID', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      await submitRoomId(el, 'https://x.test/?room=../../etc');
      expect(roomIdInput(el).getAttribute('aria-invalid')).to.equal('true');
      expect(el.roomId).to.equal('');
    });

    it('creates an open room with a fresh UUID when no server makes one, puts it in the address and asks for a name', async () => {
      await atAddress('?keep=1', async () => {
        const el = await fixture<RtcRoom>(
          html`<rtc-room server=${CLOSED_SERVER} muted video-off></rtc-room>`,
        );
        await lobbyShown(el);
        buttonNamed(el, en.createRoom)!.click();
        await waitUntil(() => el.roomId, 'a room ID');
        expect(el.roomId).to.match(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        const params = new URLSearchParams(location.search);
        expect(params.get('room')).to.equal(el.roomId);
        expect(params.get('keep')).to.equal('1');
        await elementUpdated(el);
        expect(el.state).to.equal('prejoin');
        expect(el.shadowRoot!.querySelector('input[name="name"]')).to.be.instanceOf(
          HTMLInputElement,
        );
      });
    });

    it('takes its room from the page address', async () => {
      await atAddress(`?room=${UUID}`, async () => {
        const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
        expect(el.roomId).to.equal(UUID);
        expect(el.state).to.equal('prejoin');
      });
    });

    it('speaks Chinese with lang="zh-CN"', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room lang="zh-CN"></rtc-room>`);
      await lobbyShown(el);
      expect(buttonNamed(el, zh.createRoom)).to.be.instanceOf(HTMLButtonElement);
      expect(buttonNamed(el, zh.joinById)).to.be.instanceOf(HTMLButtonElement);
      expect(part(el, 'lobby')?.textContent).to.contain(zh.roomIdLabel);
      expect(buttonNamed(el, en.createRoom)).to.equal(undefined);
    });

    it('switches language when lang changes', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room lang="en"></rtc-room>`);
      await lobbyShown(el);
      el.setAttribute('lang', 'zh-TW');
      await elementUpdated(el);
      expect(buttonNamed(el, zh.createRoom)).to.be.instanceOf(HTMLButtonElement);
    });
  });

  describe('attributes and properties', () => {
    const reflected: Array<[string, keyof RtcRoom, string, unknown]> = [
      ['room-id', 'roomId', UUID, UUID],
      ['name', 'name', 'Ada', 'Ada'],
      ['layout', 'layout', 'speaker', 'speaker'],
      ['layout', 'layout', 'sidebar', 'sidebar'],
      ['ice-transport-policy', 'iceTransportPolicy', 'relay', 'relay'],
      ['lang', 'lang', 'zh-CN', 'zh-CN'],
      ['muted', 'muted', '', true],
      ['video-off', 'videoOff', '', true],
      ['no-prejoin', 'noPrejoin', '', true],
    ];
    for (const [attribute, property, attributeValue, propertyValue] of reflected) {
      it(`reads the ${attribute}="${attributeValue}" attribute into ${property}`, async () => {
        const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
        el.setAttribute(attribute, attributeValue);
        expect(el[property]).to.equal(propertyValue);
      });

      it(`reflects ${property} = ${JSON.stringify(propertyValue)} to the ${attribute} attribute`, async () => {
        const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
        (el as unknown as Record<string, unknown>)[property] = propertyValue;
        await elementUpdated(el);
        expect(el.getAttribute(attribute)).to.equal(attributeValue);
      });
    }

    it('leaves the lang attribute alone when no language is set, so the page’s applies', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      await elementUpdated(el);
      expect(el.hasAttribute('lang')).to.equal(false);
    });

    const booleans: Array<[string, 'muted' | 'videoOff' | 'noPrejoin']> = [
      ['muted', 'muted'],
      ['video-off', 'videoOff'],
      ['no-prejoin', 'noPrejoin'],
    ];
    for (const [attribute, property] of booleans) {
      it(`removes the ${attribute} attribute when ${property} turns false`, async () => {
        const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
        el.setAttribute(attribute, '');
        expect(el[property]).to.equal(true);
        el[property] = false;
        await elementUpdated(el);
        expect(el.hasAttribute(attribute)).to.equal(false);
      });
    }

    it('defaults to the grid layout and all ICE transports', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      expect(el.layout).to.equal('grid');
      expect(el.iceTransportPolicy).to.equal('all');
      expect(el.muted).to.equal(false);
      expect(el.videoOff).to.equal(false);
      expect(el.noPrejoin).to.equal(false);
    });

    it('paints the theme it is given, whatever the visitor prefers', async () => {
      const light = await fixture<RtcRoom>(html`<rtc-room theme="light"></rtc-room>`);
      const dark = await fixture<RtcRoom>(html`<rtc-room theme="dark"></rtc-room>`);
      expect(getComputedStyle(light).backgroundColor).to.equal('rgb(255, 255, 255)');
      expect(getComputedStyle(dark).backgroundColor).to.equal('rgb(17, 20, 24)');
      expect(getComputedStyle(light).colorScheme).to.equal('light');
      expect(getComputedStyle(dark).colorScheme).to.equal('dark');
    });

    it('reads an unknown theme as auto and lets a page colour win over the theme', async () => {
      const el = await fixture<RtcRoom>(
        html`<rtc-room theme="sepia" style="--rtc-room-background: rgb(1, 2, 3)"></rtc-room>`,
      );
      expect(el.theme).to.equal('auto');
      el.theme = 'light';
      await elementUpdated(el);
      expect(el.getAttribute('theme')).to.equal('light');
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(1, 2, 3)');
    });

    it('reads an unknown layout attribute as grid', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room layout="mosaic"></rtc-room>`);
      expect(el.layout).to.equal('grid');
      el.setAttribute('layout', 'speaker');
      expect(el.layout).to.equal('speaker');
      el.setAttribute('layout', '');
      expect(el.layout).to.equal('grid');
    });
  });

  describe('state', () => {
    it('is prejoin with a room ID, showing the room and a Join button', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room room-id=${UUID} name="Ada"></rtc-room>`);
      expect(el.state).to.equal('prejoin');
      const prejoin = part(el, 'prejoin');
      expect(prejoin?.textContent).to.contain(UUID);
      expect(prejoin?.querySelector<HTMLInputElement>('input[name="name"]')?.value).to.equal('Ada');
      expect(buttonNamed(el, en.join)?.type).to.equal('submit');
      expect(el.participants).to.deep.equal([]);
    });

    it('is accessible in prejoin', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room room-id=${UUID}></rtc-room>`);
      await expect(el).to.be.accessible(A11Y);
    });

    it('takes the name typed in prejoin', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room room-id=${UUID}></rtc-room>`);
      const input = part(el, 'prejoin')!.querySelector<HTMLInputElement>('input[name="name"]')!;
      input.value = 'Grace';
      input.dispatchEvent(new InputEvent('input'));
      await elementUpdated(el);
      expect(el.name).to.equal('Grace');
      expect(el.getAttribute('name')).to.equal('Grace');
    });

    it('goes back to idle, with rtc-state, when the room ID is removed', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room room-id=${UUID}></rtc-room>`);
      const changed = oneEvent(el, 'rtc-state');
      el.removeAttribute('room-id');
      expect((await changed).detail.state).to.equal('idle');
      expect(el.state).to.equal('idle');
      await lobbyShown(el);
    });

    it('fires rtc-state prejoin when a room ID is set on an idle element', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      const seen: RoomState[] = [];
      el.addEventListener('rtc-state', (event) => seen.push(event.detail.state));
      el.roomId = UUID;
      await elementUpdated(el);
      expect(el.state).to.equal('prejoin');
      expect(seen).to.deep.equal(['prejoin']);
    });

    it('shows prejoin once a room ID is set on an idle element', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      el.roomId = UUID;
      await elementUpdated(el);
      expect(el.state).to.equal('prejoin');
      expect(part(el, 'prejoin')).to.be.instanceOf(HTMLElement);
    });
  });

  describe('failing to join', () => {
    it('reports a bad server attribute as bad-server and offers to retry', async () => {
      const el = await fixture<RtcRoom>(
        html`<rtc-room room-id=${UUID} server="ftp://x" muted video-off></rtc-room>`,
      );
      const failed = oneEvent(el, 'rtc-error');
      const changed = oneEvent(el, 'rtc-state');
      await el.join();
      expect((await failed).detail.code).to.equal('bad-server');
      expect((await changed).detail.state).to.equal('error');
      expect(el.state).to.equal('error');
      await elementUpdated(el);
      const status = part(el, 'status');
      expect(status?.getAttribute('role')).to.equal('alert');
      expect(status?.textContent).to.contain(en.errors['bad-server']);

      const retried = oneEvent(el, 'rtc-error');
      buttonNamed(el, en.retry)!.click();
      expect((await retried).detail.code).to.equal('bad-server');
      expect(el.state).to.equal('error');
    });

    it('is accessible in the error state', async () => {
      const el = await fixture<RtcRoom>(
        html`<rtc-room room-id=${UUID} server="ftp://x" muted video-off></rtc-room>`,
      );
      await el.join();
      await elementUpdated(el);
      expect(el.state).to.equal('error');
      await expect(el).to.be.accessible(A11Y);
    });

    it('reports a closed server port as server-unreachable and enters error', async () => {
      const el = await fixture<RtcRoom>(
        html`<rtc-room room-id=${UUID} server=${CLOSED_SERVER} muted video-off></rtc-room>`,
      );
      const states: RoomState[] = [];
      el.addEventListener('rtc-state', (event) => states.push(event.detail.state));
      const failed = oneEvent(el, 'rtc-error');
      await el.join();
      const { detail } = await failed;
      expect(detail.code).to.equal('server-unreachable');
      expect(detail.message).to.be.a('string').with.length.above(0);
      expect(states).to.deep.equal(['joining', 'error']);
      expect(el.state).to.equal('error');
      await elementUpdated(el);
      expect(part(el, 'status')?.textContent).to.contain(en.errors['server-unreachable']);
      expect(buttonNamed(el, en.retry)).to.be.instanceOf(HTMLButtonElement);
    });

    it('reports ice-servers that are not JSON as bad-ice-servers', async () => {
      const el = await fixture<RtcRoom>(
        html`<rtc-room
          room-id=${UUID}
          server=${CLOSED_SERVER}
          ice-servers="not json"
          muted
          video-off
        ></rtc-room>`,
      );
      const failed = oneEvent(el, 'rtc-error');
      const joined = el.join();
      const { detail } = await failed;
      expect(detail.code).to.equal('bad-ice-servers');
      await joined;
    });

    it('joins on its own with no-prejoin', async () => {
      const failed = oneEvent(document, 'rtc-error');
      const el = await fixture<RtcRoom>(
        html`<rtc-room
          room-id=${UUID}
          server=${CLOSED_SERVER}
          no-prejoin
          muted
          video-off
        ></rtc-room>`,
      );
      expect((await failed).detail.code).to.equal('server-unreachable');
      expect(el.state).to.equal('error');
    });
  });

  describe('in the page', () => {
    it('keeps its state when moved in the DOM', async () => {
      const restore = hangingServer();
      try {
        const el = await fixture<RtcRoom>(
          html`<rtc-room room-id=${UUID} server=${HANGING_SERVER} muted video-off></rtc-room>`,
        );
        void el.join();
        expect(el.state).to.equal('joining');
        let left = false;
        el.addEventListener('rtc-leave', () => (left = true));
        const other = document.createElement('section');
        el.parentElement!.after(other);
        other.append(el);
        await aTimeout(20);
        expect(el.state).to.equal('joining');
        expect(left).to.equal(false);
        other.remove();
      } finally {
        restore();
      }
    });

    it('leaves when removed for good', async () => {
      const restore = hangingServer();
      try {
        const el = await fixture<RtcRoom>(
          html`<rtc-room room-id=${UUID} server=${HANGING_SERVER} muted video-off></rtc-room>`,
        );
        void el.join();
        const left = oneEvent(el, 'rtc-leave');
        el.remove();
        expect((await left).detail.roomId).to.equal(UUID);
        expect(el.state).to.equal('left');
      } finally {
        restore();
      }
    });

    it('keeps its lobby state when moved', async () => {
      const el = await fixture<RtcRoom>(html`<rtc-room></rtc-room>`);
      await submitRoomId(el, 'bad');
      const parent = el.parentElement!;
      el.remove();
      parent.append(el);
      await aTimeout(20);
      expect(el.state).to.equal('idle');
      expect(roomIdInput(el).getAttribute('aria-invalid')).to.equal('true');
    });

    it('sends events that bubble and cross shadow roots', async () => {
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const root = host.attachShadow({ mode: 'open' });
      const el = document.createElement('rtc-room');
      el.roomId = UUID;
      el.server = 'ftp://x';
      root.append(el);
      // composedPath() is empty once dispatch is over: read it in the listener.
      const reachedDocument: Array<{
        type: string;
        bubbles: boolean;
        composed: boolean;
        path: EventTarget[];
      }> = [];
      const record = (event: Event) =>
        reachedDocument.push({
          type: event.type,
          bubbles: event.bubbles,
          composed: event.composed,
          path: event.composedPath(),
        });
      document.addEventListener('rtc-error', record);
      document.addEventListener('rtc-state', record);
      const error = oneEvent(document, 'rtc-error');
      const state = oneEvent(document, 'rtc-state');
      try {
        void el.join();
        await Promise.all([error, state]);
      } finally {
        document.removeEventListener('rtc-error', record);
        document.removeEventListener('rtc-state', record);
      }
      const [errorEvent, stateEvent] = [await error, await state];
      expect(reachedDocument.map((e) => e.type)).to.have.members(['rtc-error', 'rtc-state']);
      for (const event of reachedDocument) {
        expect(event.bubbles, event.type).to.equal(true);
        expect(event.composed, event.type).to.equal(true);
        expect(event.path[0] === el, `${event.type} starts at the element`).to.equal(true);
        expect(event.path.includes(root), `${event.type} crosses the shadow root`).to.equal(true);
      }
      expect(errorEvent.detail.code).to.equal('bad-server');
      expect(stateEvent.detail.state).to.equal('error');
    });

    it('lets two elements on one page fail independently', async () => {
      const container = await fixture<HTMLDivElement>(
        html`<div>
          <rtc-room room-id=${UUID} server="ftp://x"></rtc-room>
          <rtc-room room-id=${UUID}></rtc-room>
        </div>`,
      );
      const [first, second] = container.querySelectorAll('rtc-room');
      await first.join();
      await waitUntil(() => first.state === 'error');
      expect(second.state).to.equal('prejoin');
    });
  });
});
