import { expect } from '@open-wc/testing';
import { LobbyController } from '../../../src/controllers/lobby-controller.js';
import { hostKeyFor, inviteLink } from '../../../src/room-links.js';
import { isRoomId } from '../../../src/room/room-id.js';
import { FakeHost } from './fake-host.js';

const ROOM = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';

function setUp() {
  const joins: string[] = [];
  const host = Object.assign(new FakeHost(), {
    roomId: '',
    server: null as string | null,
    join(this: { roomId: string }) {
      joins.push(this.roomId);
      return Promise.resolve();
    },
  });
  const lobby = new LobbyController(host, 'room', 'http://127.0.0.1:9/rtc-room.js');
  const input = document.createElement('input');
  const type = (text: string) => {
    input.value = text;
    input.dispatchEvent(new InputEvent('input'));
  };
  input.addEventListener('input', lobby.handleInput as EventListener);
  const submit = () => {
    const event = new SubmitEvent('submit', { cancelable: true });
    lobby.handleSubmit(event);
    return event.defaultPrevented;
  };
  return { host, lobby, joins, type, submit };
}

describe('LobbyController', () => {
  const named: Array<[string, string]> = [
    ['a room ID', ROOM],
    ['a room ID with spaces around it', `  ${ROOM} `],
    ['an invite link', `https://example.com/call?room=${ROOM}#top`],
  ];
  for (const [title, typed] of named) {
    it(`joins the room named by ${title}`, () => {
      const { lobby, joins, type, submit, host } = setUp();
      type(typed);
      expect(submit(), 'the form does not navigate').to.equal(true);
      expect(lobby.isDraftInvalid).to.equal(false);
      expect(host.roomId).to.equal(ROOM);
      expect(joins).to.deep.equal([ROOM]);
    });
  }

  for (const typed of [
    '',
    'not a room',
    'https://example.com/call?room=nope',
    'https://example.com/',
  ]) {
    it(`says “${typed}” names no room, until the visitor types again`, () => {
      const { lobby, joins, type, submit, host } = setUp();
      type(typed);
      submit();
      expect(lobby.isDraftInvalid).to.equal(true);
      expect(host.roomId).to.equal('');
      expect(joins).to.deep.equal([]);
      type(`${typed}x`);
      expect(lobby.isDraftInvalid).to.equal(false);
      expect(lobby.draft).to.equal(`${typed}x`);
    });
  }

  it('creates an open room with a fresh ID where no server makes one, its invite link the page’s address, without joining', async () => {
    const before = location.href;
    try {
      history.replaceState(history.state, '', '?lang=en#chat');
      const { lobby, joins, host } = setUp();
      await lobby.handleCreateRoom();
      expect(isRoomId(host.roomId)).to.equal(true);
      expect(joins, 'the prejoin comes first').to.deep.equal([]);
      expect(location.href).to.equal(inviteLink(host.roomId, 'room'));
      expect(new URL(location.href).searchParams.get('lang')).to.equal('en');
      expect(location.hash).to.equal('');
    } finally {
      history.replaceState(history.state, '', before);
    }
  });
});

describe('LobbyController and the server', () => {
  const realFetch = window.fetch;
  afterEach(() => {
    window.fetch = realFetch;
  });

  it('has the server make the room and keeps its host key, out of the address', async () => {
    const before = location.href;
    const requests: Array<{ url: string; method?: string }> = [];
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push({ url: String(input), method: init?.method });
      const body = JSON.stringify({ roomId: ROOM, hostKey: 'the-host-key', locked: false });
      return Promise.resolve(new Response(body, { status: 201 }));
    };
    try {
      const { lobby, host } = setUp();
      host.server = 'https://rtc.example.com';
      await lobby.handleCreateRoom();
      expect(requests).to.deep.equal([
        { url: 'https://rtc.example.com/api/rooms', method: 'POST' },
      ]);
      expect(host.roomId).to.equal(ROOM);
      expect(hostKeyFor(ROOM)).to.equal('the-host-key');
      expect(location.href).to.not.include('the-host-key');
    } finally {
      localStorage.removeItem(`rtc-room:host:${ROOM}`);
      history.replaceState(history.state, '', before);
    }
  });
});
