import { createHash, createHmac, randomBytes } from 'node:crypto';
import { JanusClient, JanusError } from './janus-client.js';

// The rooms this server keeps on Janus's VideoRoom for rooms too large for a mesh. The server
// owns them: it creates each lazily (with the plugin's admin key, a secret of its own, private so
// that no client lists it), lets in only the visitors it admitted (each with a token of its own
// in the room's allowed list), kicks those it removes, and destroys the room when it empties.
// A browser gets a short-lived Janus token signed for the VideoRoom plugin alone, so it can
// neither create rooms nor join one it holds no room token for.

/** How long a visitor's Janus token lets it start a Janus session. */
export const JANUS_TOKEN_TTL_SECONDS = 10 * 60;

/** VideoRoom's error code for a room that does not exist (anymore). */
const NO_SUCH_ROOM = 426;

/**
 * @typedef {object} JanusInstance
 * @property {string} url where this server reaches it
 * @property {string} publicUrl where browsers reach it
 */

/**
 * What an admitted visitor needs to publish and subscribe on Janus.
 * @typedef {object} SfuTicket
 * @property {string} url the Janus WebSocket URL for browsers
 * @property {string} room the VideoRoom room ID (not the room's own ID)
 * @property {string} token a Janus token for the VideoRoom plugin, valid for a few minutes
 * @property {string} roomToken its own token in the room's allowed list
 */

/**
 * The instance a room lives on, the same in every signalling process: rendezvous hashing, so
 * that adding or losing an instance moves only the rooms that were (or will be) on it.
 * @param {string} roomId
 * @param {readonly JanusInstance[]} instances
 * @returns {JanusInstance}
 */
export function instanceFor(roomId, instances) {
  const weight = (/** @type {JanusInstance} */ instance) =>
    createHash('sha256').update(`${instance.url}\n${roomId}`).digest().readBigUInt64BE();
  return instances.reduce((best, each) => (weight(each) > weight(best) ? each : best));
}

/**
 * A Janus token that lets its holder use the VideoRoom plugin until `expiresAt` (seconds),
 * signed as Janus's `token_auth_secret` checks it.
 * @param {string} secret
 * @param {number} expiresAt
 */
export function signJanusToken(secret, expiresAt) {
  const data = `${expiresAt},janus,janus.plugin.videoroom`;
  return `${data}:${createHmac('sha1', secret).update(data).digest('base64')}`;
}

/**
 * @typedef {object} SfuRoomsOptions
 * @property {readonly JanusInstance[]} instances at least one
 * @property {string} apiSecret Janus's `api_secret`, for this server's own requests
 * @property {string} tokenSecret Janus's `token_auth_secret`, to sign visitors' tokens
 * @property {string} adminKey the VideoRoom plugin's `admin_key`, to create rooms
 * @property {number} maxRoomSize publishers a room holds
 * @property {() => number} [now] seconds since the epoch
 */

/**
 * @typedef {object} SfuRoom
 * @property {string} roomId our own
 * @property {string} room
 * @property {string} secret
 * @property {JanusInstance} instance
 * @property {Map<string, string>} tokens each admitted peer ID's room token
 */

export class SfuRooms {
  #options;
  /** @type {Map<string, Promise<JanusClient>>} by instance URL */
  #clients = new Map();
  /** @type {Map<string, SfuRoom>} by our room ID */
  #rooms = new Map();
  /** @type {Map<string, Promise<SfuRoom>>} rooms being made, by our room ID */
  #making = new Map();
  /** @type {(roomIds: string[]) => void} */
  #lost = () => {};

  /** @param {SfuRoomsOptions} options */
  constructor(options) {
    if (options.instances.length === 0) throw new Error('no Janus instance given');
    this.#options = options;
  }

  /**
   * Lets a visitor into the room's Janus room, made now if it has none.
   * @param {string} roomId
   * @param {string} peerId
   * @returns {Promise<SfuTicket>}
   */
  async admit(roomId, peerId) {
    const sfuRoom = await this.#roomFor(roomId);
    const roomToken = sfuRoom.tokens.get(peerId) ?? randomBytes(16).toString('hex');
    if (!sfuRoom.tokens.has(peerId)) {
      sfuRoom.tokens.set(peerId, roomToken);
      await this.#allowed(sfuRoom, 'add', [roomToken]);
    }
    const now = this.#options.now?.() ?? Math.floor(Date.now() / 1000);
    return {
      url: sfuRoom.instance.publicUrl,
      room: sfuRoom.room,
      token: signJanusToken(this.#options.tokenSecret, now + JANUS_TOKEN_TTL_SECONDS),
      roomToken,
    };
  }

  /**
   * A visitor left: its room token no longer lets it in; the last one out destroys the room.
   * @param {string} roomId
   * @param {string} peerId
   */
  async depart(roomId, peerId) {
    const sfuRoom = this.#rooms.get(roomId);
    const roomToken = sfuRoom?.tokens.get(peerId);
    if (!sfuRoom || roomToken === undefined) return;
    sfuRoom.tokens.delete(peerId);
    if (sfuRoom.tokens.size > 0) {
      await this.#allowed(sfuRoom, 'remove', [roomToken]);
      return;
    }
    this.#rooms.delete(roomId);
    await this.#request(sfuRoom, {
      request: 'destroy',
      room: sfuRoom.room,
      secret: sfuRoom.secret,
    });
  }

  /**
   * A host removed a visitor: it cannot join again, and whoever publishes in the Janus room as
   * anyone but an admitted visitor (its peer ID, or an ID it made up) is kicked.
   * @param {string} roomId
   * @param {string} peerId
   */
  async kick(roomId, peerId) {
    const sfuRoom = this.#rooms.get(roomId);
    if (!sfuRoom) return;
    const roomToken = sfuRoom.tokens.get(peerId);
    sfuRoom.tokens.delete(peerId);
    if (roomToken !== undefined) await this.#allowed(sfuRoom, 'remove', [roomToken]);
    const listed = await this.#request(sfuRoom, {
      request: 'listparticipants',
      room: sfuRoom.room,
    });
    const participants = Array.isArray(listed.participants) ? listed.participants : [];
    for (const { id } of participants) {
      if (typeof id === 'string' && sfuRoom.tokens.has(id)) continue;
      await this.#request(sfuRoom, {
        request: 'kick',
        room: sfuRoom.room,
        secret: sfuRoom.secret,
        id,
      })
        // Gone meanwhile.
        .catch(() => {});
    }
  }

  /**
   * Calls `listener` when an instance goes away (Janus stopped or restarted) with the rooms it
   * held: they are made again as their visitors are admitted again.
   * @param {(roomIds: string[]) => void} listener
   */
  onLost(listener) {
    this.#lost = listener;
  }

  /** Whether the room has a Janus room now. */
  has(/** @type {string} */ roomId) {
    return this.#rooms.has(roomId);
  }

  close() {
    for (const client of this.#clients.values())
      client.then(
        (each) => each.close(),
        () => {},
      );
    this.#clients.clear();
    this.#rooms.clear();
    this.#making.clear();
  }

  /**
   * @param {string} roomId
   * @returns {Promise<SfuRoom>}
   */
  async #roomFor(roomId) {
    const known = this.#rooms.get(roomId);
    if (known) return known;
    let making = this.#making.get(roomId);
    if (!making) {
      making = this.#create(roomId);
      this.#making.set(roomId, making);
      // A room that could not be made is tried afresh by the next visitor.
      making.then(
        (made) => this.#rooms.set(roomId, made),
        () => {},
      );
      making.finally(() => this.#making.delete(roomId)).catch(() => {});
    }
    return making;
  }

  /**
   * @param {string} roomId
   * @returns {Promise<SfuRoom>}
   */
  async #create(roomId) {
    const instance = instanceFor(roomId, this.#options.instances);
    /** @type {SfuRoom} */
    const sfuRoom = {
      roomId,
      // Janus never learns the room's own ID, which is the key to it.
      room: createHash('sha256').update(roomId).digest('hex').slice(0, 32),
      secret: randomBytes(16).toString('hex'),
      instance,
      tokens: new Map(),
    };
    const body = {
      request: 'create',
      room: sfuRoom.room,
      admin_key: this.#options.adminKey,
      secret: sfuRoom.secret,
      is_private: true,
      allowed: [],
      publishers: this.#options.maxRoomSize,
      notify_joining: true,
    };
    try {
      await this.#request(sfuRoom, body);
    } catch (error) {
      // Left by a process that restarted: made again, with this process's secret.
      if (!(error instanceof JanusError) || error.code !== 427) throw error;
      const client = await this.#clientOf(instance);
      await client.videoRoom({ request: 'destroy', room: sfuRoom.room, admin_key: body.admin_key });
      await this.#request(sfuRoom, body);
    }
    return sfuRoom;
  }

  /**
   * @param {SfuRoom} sfuRoom
   * @param {'add' | 'remove'} action
   * @param {string[]} tokens
   */
  #allowed(sfuRoom, action, tokens) {
    return this.#request(sfuRoom, {
      request: 'allowed',
      room: sfuRoom.room,
      secret: sfuRoom.secret,
      action,
      allowed: tokens,
    });
  }

  /**
   * @param {SfuRoom} sfuRoom
   * @param {Record<string, unknown>} body
   */
  async #request(sfuRoom, body) {
    const client = await this.#clientOf(sfuRoom.instance);
    return client.videoRoom(body).catch((error) => {
      if (error instanceof JanusError && error.code === NO_SUCH_ROOM) this.#forget(sfuRoom);
      throw error;
    });
  }

  /**
   * Janus no longer has the room (it restarted): the next visitor makes it again.
   * @param {SfuRoom} sfuRoom
   */
  #forget(sfuRoom) {
    if (this.#rooms.get(sfuRoom.roomId) === sfuRoom) this.#rooms.delete(sfuRoom.roomId);
  }

  /**
   * The connection to an instance, made when first needed and again after it closes (Janus
   * restarted: its rooms are gone, and are made again as visitors are admitted).
   * @param {JanusInstance} instance
   */
  #clientOf(instance) {
    let client = this.#clients.get(instance.url);
    if (!client) {
      client = JanusClient.connect(instance.url, this.#options.apiSecret);
      this.#clients.set(instance.url, client);
      const made = client;
      made.then(
        (each) =>
          each.closed.then(() => {
            if (this.#clients.get(instance.url) === made) this.#clients.delete(instance.url);
            const lost = [...this.#rooms.values()].filter((room) => room.instance === instance);
            for (const room of lost) this.#forget(room);
            if (lost.length > 0) this.#lost(lost.map((room) => room.roomId));
          }),
        () => {
          if (this.#clients.get(instance.url) === made) this.#clients.delete(instance.url);
        },
      );
    }
    return client;
  }
}
