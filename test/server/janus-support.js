// A real Janus for the server tests: the VideoRoom plugin alone, its WebSocket API on a free port
// of 127.0.0.1, an API secret, signed tokens and an admin key, from a configuration written per
// test. Nothing here sends media, so Janus's refusal to gather on loopback does not matter.
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';

const JANUS = process.env.JANUS_PATH ?? '/usr/bin/janus';
const LIB = '/usr/lib/x86_64-linux-gnu/janus';

/** A free TCP port on 127.0.0.1 (free a moment ago). */
async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  server.close();
  return port;
}

/**
 * Every library of a plugin folder but `keep`, for Janus's `disable` list.
 * @param {string} folder
 * @param {string} keep
 */
function allBut(folder, keep) {
  return readdirSync(join(LIB, folder))
    .filter((name) => name.endsWith('.so') && name !== keep)
    .join(',');
}

/**
 * @typedef {object} TestJanus
 * @property {string} url
 * @property {string} apiSecret
 * @property {string} tokenSecret
 * @property {string} adminKey
 * @property {() => Promise<void>} stop
 * @property {() => Promise<void>} restart the same configuration and port, a fresh process
 */

/**
 * Writes a Janus configuration into `dir`: the VideoRoom plugin and the WebSocket transport
 * alone, an API secret, signed tokens and an admin key, all random; returns the secrets.
 * @param {string} dir
 * @param {{ port: number, wsIp?: string, iceInterface?: string }} where the WebSocket listens
 *   (Janus binds the first address of the interface holding `wsIp`), and the one interface it
 *   gathers ICE candidates on (none on loopback)
 */
export function writeJanusConfig(dir, { port, wsIp = '127.0.0.1', iceInterface }) {
  const secrets = {
    apiSecret: randomBytes(12).toString('hex'),
    tokenSecret: randomBytes(12).toString('hex'),
    adminKey: randomBytes(12).toString('hex'),
  };
  const nat = iceInterface
    ? `nat: { ice_enforce_list = "${iceInterface}" }\nmedia: { rtp_port_range = "20000-20999" }\n`
    : '';
  writeFileSync(
    join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${LIB}/plugins"
  transports_folder = "${LIB}/transports"
  events_folder = "${LIB}/events"
  loggers_folder = "${LIB}/loggers"
  debug_level = 3
  api_secret = "${secrets.apiSecret}"
  token_auth = true
  token_auth_secret = "${secrets.tokenSecret}"
  admin_secret = "${randomUUID()}"
}
plugins: { disable = "${allBut('plugins', 'libjanus_videoroom.so')}" }
transports: { disable = "${allBut('transports', 'libjanus_websockets.so')}" }
events: { broadcast = false }
${nat}`,
  );
  writeFileSync(
    join(dir, 'janus.plugin.videoroom.jcfg'),
    `general: {\n  admin_key = "${secrets.adminKey}"\n  string_ids = true\n}\n`,
  );
  writeFileSync(
    join(dir, 'janus.transport.websockets.jcfg'),
    `general: {
  json = "compact"
  ws = true
  ws_port = ${port}
  ws_ip = "${wsIp}"
  wss = false
}
admin: { admin_ws = false admin_wss = false }
`,
  );
  return secrets;
}

/** The command line that runs Janus with the configuration in `dir`. */
export const janusCommand = (/** @type {string} */ dir) => ({
  program: JANUS,
  args: ['-C', join(dir, 'janus.jcfg'), '-F', dir],
});

/**
 * Starts Janus; it is stopped when the test ends.
 * @param {import('node:test').TestContext} t
 * @returns {Promise<TestJanus>}
 */
export async function startJanus(t) {
  if (!existsSync(JANUS)) {
    throw new Error(`Janus not found at ${JANUS}: apt-get install -y janus (or set JANUS_PATH)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'rtc-room-janus-'));
  const port = await freePort();
  const secrets = writeJanusConfig(dir, { port });
  const url = `ws://127.0.0.1:${port}`;
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let janus;
  const start = async () => {
    janus = spawn(JANUS, janusCommand(dir).args, { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (janus.exitCode !== null) throw new Error(`Janus exited at start (${janus.exitCode})`);
      const socket = new WebSocket(url, 'janus-protocol');
      const opened = await new Promise((resolve) => {
        socket.once('open', () => resolve(true));
        socket.on('error', () => resolve(false));
      });
      socket.terminate();
      if (opened) return;
      if (Date.now() > deadline) throw new Error('Janus did not listen within 15 s');
      await delay(100);
    }
  };
  const stop = async () => {
    if (!janus || janus.exitCode !== null || janus.signalCode !== null) return;
    janus.kill('SIGKILL');
    await once(janus, 'exit');
  };
  // Stopped and removed even when it never came up: a failed start leaves no process behind.
  t.after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return {
    url,
    ...secrets,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

/**
 * A Janus client as a stranger writes it: raw frames, its own transactions, no secret unless
 * given. `ask` resolves with Janus's reply (not its ack).
 * @param {string} url
 */
export async function rawJanus(url) {
  const socket = new WebSocket(url, 'janus-protocol');
  await once(socket, 'open');
  /** @type {Map<string, (reply: any) => void>} */
  const pending = new Map();
  /** @type {any[]} */
  const events = [];
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data));
    const answer = pending.get(reply.transaction);
    if (answer && reply.janus !== 'ack') {
      pending.delete(reply.transaction);
      answer(reply);
    } else if (!answer) {
      events.push(reply);
    }
  });
  /**
   * @param {Record<string, unknown>} message
   * @returns {Promise<any>}
   */
  const ask = (message) =>
    new Promise((resolve) => {
      const transaction = randomUUID();
      pending.set(transaction, resolve);
      socket.send(JSON.stringify({ ...message, transaction }));
    });
  return { ask, events, close: () => socket.terminate() };
}

/**
 * A raw client's session and VideoRoom handle, made with `auth` (a `token` or an `apisecret`);
 * `room` sends a VideoRoom request on it and resolves with the plugin's data.
 * @param {string} url
 * @param {Record<string, string>} auth
 */
export async function rawVideoRoom(url, auth) {
  const client = await rawJanus(url);
  const session = await client.ask({ janus: 'create', ...auth });
  if (session.janus !== 'success') throw new Error(JSON.stringify(session));
  const handle = await client.ask({
    janus: 'attach',
    session_id: session.data.id,
    plugin: 'janus.plugin.videoroom',
    ...auth,
  });
  /** @param {Record<string, unknown>} body */
  const room = async (body) =>
    (
      await client.ask({
        janus: 'message',
        session_id: session.data.id,
        handle_id: handle.data.id,
        body,
        ...auth,
      })
    ).plugindata.data;
  return { ...client, room };
}

/**
 * A raw client that joins a room on Janus as a publisher with a ticket from the server; closed
 * when the test ends.
 * @param {import('node:test').TestContext} t
 * @param {{ url: string, room: string, token: string, roomToken: string }} ticket
 * @param {string} [id] the ID it publishes under
 */
export async function joinWithTicket(t, ticket, id) {
  const client = await rawVideoRoom(ticket.url, { token: ticket.token });
  t.after(() => client.close());
  const joined = await client.room({
    request: 'join',
    ptype: 'publisher',
    room: ticket.room,
    id,
    token: ticket.roomToken,
  });
  return { client, joined };
}
