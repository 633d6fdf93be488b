// Just enough of STUN and TURN (RFC 8489, RFC 8656) to ask coturn for a relay and for
// permissions the way a browser does, over UDP on loopback.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

const COOKIE = 0x2112a442;

export const METHODS = { binding: 0x001, allocate: 0x003, createPermission: 0x008 };
const ATTRIBUTES = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  xorPeerAddress: 0x0012,
  requestedTransport: 0x0019,
  xorMappedAddress: 0x0020,
};

/** @typedef {keyof typeof ATTRIBUTES} AttributeName */
/** @typedef {{ address: string, port: number }} TransportAddress */

/**
 * A response as decodeResponse reads it.
 * @typedef {{
 *   id: Buffer,
 *   isSuccess: boolean,
 *   errorCode?: number,
 *   realm?: string,
 *   nonce?: string,
 *   relayed?: TransportAddress,
 *   mapped?: TransportAddress,
 * }} StunResponse
 */

/**
 * @param {number} type
 * @param {Buffer} value
 */
function attribute(type, value) {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

/**
 * @param {string} address
 * @param {number} port
 */
function xorAddress(address, port) {
  const value = Buffer.alloc(8);
  value.writeUInt8(1, 1);
  value.writeUInt16BE(port ^ (COOKIE >>> 16), 2);
  const octets = address.split('.').map(Number);
  value.writeUInt32BE(
    (((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) ^ COOKIE) >>> 0,
    4,
  );
  return value;
}

/**
 * @param {Buffer} value
 * @returns {TransportAddress}
 */
function readXorAddress(value) {
  const port = value.readUInt16BE(2) ^ (COOKIE >>> 16);
  const raw = (value.readUInt32BE(4) ^ COOKIE) >>> 0;
  return { address: [24, 16, 8, 0].map((shift) => (raw >>> shift) & 255).join('.'), port };
}

/**
 * A request of `method` with `attributes` ({ name: Buffer }), signed with `key` when given.
 * @param {number} method
 * @param {Partial<Record<AttributeName, Buffer>>} [attributes]
 * @param {Buffer | null} [key]
 * @returns {{ id: Buffer, bytes: Buffer }}
 */
export function encodeRequest(method, attributes = {}, key = null) {
  const id = randomBytes(12);
  const body = Buffer.concat(
    Object.entries(attributes).map(([name, value]) =>
      // Object.entries names the keys of `attributes` as plain strings.
      attribute(ATTRIBUTES[/** @type {AttributeName} */ (name)], value),
    ),
  );
  const header = Buffer.alloc(20);
  header.writeUInt16BE(method, 0);
  header.writeUInt32BE(COOKIE, 4);
  id.copy(header, 8);
  if (!key) {
    header.writeUInt16BE(body.length, 2);
    return { id, bytes: Buffer.concat([header, body]) };
  }
  // MESSAGE-INTEGRITY covers the message with its length already counting the integrity itself.
  header.writeUInt16BE(body.length + 24, 2);
  const hmac = createHmac('sha1', key)
    .update(Buffer.concat([header, body]))
    .digest();
  return { id, bytes: Buffer.concat([header, body, attribute(ATTRIBUTES.messageIntegrity, hmac)]) };
}

/**
 * A response: its class (`success` or `error`), error code, and the attributes we read.
 * @param {Buffer} bytes
 */
export function decodeResponse(bytes) {
  const type = bytes.readUInt16BE(0);
  /** @type {StunResponse} */
  const response = { id: bytes.subarray(8, 20), isSuccess: (type & 0x0110) === 0x0100 };
  for (let at = 20; at + 4 <= bytes.length;) {
    const kind = bytes.readUInt16BE(at);
    const length = bytes.readUInt16BE(at + 2);
    const value = bytes.subarray(at + 4, at + 4 + length);
    if (kind === ATTRIBUTES.errorCode) response.errorCode = value[2] * 100 + value[3];
    if (kind === ATTRIBUTES.realm) response.realm = value.toString();
    if (kind === ATTRIBUTES.nonce) response.nonce = value.toString();
    if (kind === ATTRIBUTES.xorRelayedAddress) response.relayed = readXorAddress(value);
    if (kind === ATTRIBUTES.xorMappedAddress) response.mapped = readXorAddress(value);
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return response;
}

/**
 * A TURN client over one UDP socket to `port` on 127.0.0.1, with REST API credentials.
 * @param {number} port
 * @param {{ username: string, credential: string }} credentials
 */
export async function openTurnClient(port, { username, credential }) {
  const socket = createSocket('udp4');
  await /** @type {Promise<void>} */ (
    new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve))
  );
  /** @type {{ realm: string, nonce: string, key: Buffer } | null} */
  let auth = null;

  /**
   * Sends `bytes` until the answer to `id` comes (3 tries, 1 s each).
   * @param {{ id: Buffer, bytes: Buffer }} request
   */
  async function exchange({ id, bytes }) {
    for (let attempt = 0; attempt < 3; attempt++) {
      /** @type {Buffer | null} */
      const answer = await new Promise((resolve) => {
        const timer = setTimeout(() => finish(null), 1000);
        const onMessage = (/** @type {Buffer} */ message) => {
          if (message.length >= 20 && message.subarray(8, 20).equals(id)) finish(message);
        };
        /** @param {Buffer | null} message */
        function finish(message) {
          clearTimeout(timer);
          socket.off('message', onMessage);
          resolve(message);
        }
        socket.on('message', onMessage);
        socket.send(bytes, port, '127.0.0.1');
      });
      if (answer) return decodeResponse(answer);
    }
    throw new Error(`no answer from 127.0.0.1:${port}`);
  }

  /**
   * @param {number} method
   * @param {Partial<Record<AttributeName, Buffer>>} attributes
   */
  function signed(method, attributes) {
    if (!auth) throw new Error('allocate first: no realm and nonce to sign with');
    return encodeRequest(
      method,
      {
        ...attributes,
        username: Buffer.from(username),
        realm: Buffer.from(auth.realm),
        nonce: Buffer.from(auth.nonce),
      },
      auth.key,
    );
  }

  return {
    binding: () => exchange(encodeRequest(METHODS.binding)),
    /** Allocate: first unsigned to learn the realm and nonce (401), then signed. */
    async allocate() {
      const transport = { requestedTransport: Buffer.from([17, 0, 0, 0]) };
      const challenge = await exchange(encodeRequest(METHODS.allocate, transport));
      if (challenge.errorCode !== 401) throw new Error(`expected 401, got ${challenge.errorCode}`);
      if (!challenge.realm || !challenge.nonce) throw new Error('a 401 without realm or nonce');
      const key = createHash('md5').update(`${username}:${challenge.realm}:${credential}`).digest();
      auth = { realm: challenge.realm, nonce: challenge.nonce, key };
      return exchange(signed(METHODS.allocate, transport));
    },
    createPermission: (/** @type {string} */ address) =>
      exchange(signed(METHODS.createPermission, { xorPeerAddress: xorAddress(address, 9) })),
    close: () =>
      /** @type {Promise<void>} */ (new Promise((resolve) => socket.close(() => resolve()))),
  };
}
