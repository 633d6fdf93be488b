// Relay-only rooms through a real coturn, with credentials from rtc-room-server's /api/ice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack,
  readConnections,
  readEvents,
  visitRoom,
  waitForRemoteVideo,
  waitInPage,
} from './harness.js';

/** @typedef {import('./harness.js').Stack<true, true>} Stack */

describe('a relay-only room through coturn', () => {
  /** @type {Stack} */
  let stack;
  /** @type {Stack['turn']} */
  let turn;
  /** @type {Stack['server']} */
  let server;
  /** @type {Stack['host']} */
  let host;
  /** @type {Stack['chromium']} */
  let chromium;
  /** @type {Stack['firefox']} */
  let firefox;

  before(async () => {
    stack = await startStack({ firefox: true, turn: true });
    ({ turn, server, host, chromium, firefox } = stack);
  });

  after(() => stack?.close());

  it('connects three Chromium visitors and a Firefox visitor, every pair over a relay', async () => {
    const roomId = crypto.randomUUID();
    const relay = { 'ice-transport-policy': 'relay' };
    const pages = [];
    for (const name of ['Chromium 1', 'Chromium 2', 'Chromium 3']) {
      pages.push(await visitRoom(chromium, host, server, roomId, name, relay));
    }
    pages.push(await visitRoom(firefox, host, server, roomId, 'Firefox', relay));
    try {
      for (const page of pages) {
        const remote = await waitForRemoteVideo(page, 3, 45_000);
        for (const tile of remote) assert.ok(tile.advanced, `${tile.name}'s video advances`);
      }
      for (const page of pages) {
        // The path is read from the statistics every two seconds.
        await waitInPage(
          page,
          () =>
            document
              .querySelector('rtc-room')
              .participants.filter((p) => !p.isLocal)
              .every((p) => p.connection?.candidateType),
          undefined,
          'the candidate types',
        );
        const connections = await readConnections(page);
        assert.equal(connections.length, 3);
        for (const connection of connections) {
          assert.equal(connection.candidateType, 'relay', `${connection.name} is relayed`);
          assert.equal(connection.state, 'connected');
        }
      }
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('reports ice-failed, not an endless wait, when the TURN credentials are expired or wrong', async () => {
    const roomId = crypto.randomUUID();
    const expired = turn.credentials(Math.floor(Date.now() / 1000) - 60);
    const wrong = {
      username: `${Math.floor(Date.now() / 1000) + 3600}:e2e`,
      credential: 'd3Jvbmc=',
    };
    const visitor = (
      /** @type {string} */ name,
      /** @type {{ username: string, credential: string }} */ credentials,
    ) =>
      visitRoom(chromium, host, server, roomId, name, {
        'ice-transport-policy': 'relay',
        'ice-servers': JSON.stringify([{ urls: turn.url, ...credentials }]),
      });
    const pages = [await visitor('Expired', expired), await visitor('Wrong', wrong)];
    try {
      for (const page of pages) {
        await waitInPage(
          page,
          () =>
            window.rtcEvents.some((e) => e.type === 'rtc-error' && e.detail.code === 'ice-failed'),
          undefined,
          'ice-failed',
          45_000,
        );
        const unreachable = await waitInPage(
          page,
          () =>
            document
              .querySelector('rtc-room')
              .shadowRoot.querySelector('[part~="tile"].unreachable')
              ?.textContent.includes('Cannot connect'),
          undefined,
          'the unreachable tile',
        );
        assert.ok(unreachable);
        const joins = (await readEvents(page)).filter((event) => event.type === 'rtc-peer-join');
        assert.equal(joins.length, 0, 'nobody was connected');
      }
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });
});
