import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Why a WebSocket or an /api call was refused, as counted in `rtc_room_refusals_total`.
 * @typedef {'origin-not-allowed' | 'unauthorized' | 'token-expired' | 'invalid-id' | 'id-taken'
 *   | 'room-full' | 'server-full' | 'too-many-connections' | 'too-many-registrations'
 *   | 'rate-limited' | 'flooding' | 'removed' | 'denied' | 'too-many-knocks' | 'not-host'
 *   | 'room-locked' | 'tokens-required'} RefusalReason
 */

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one process, as in
 * tests, keep separate counts).
 * @param {object} sources read at each scrape
 * @param {() => number} sources.peers registered peers
 * @param {() => number} sources.rooms rooms with a peer
 * @param {() => number} sources.sockets open signalling WebSockets, registered or not
 * @param {() => number} sources.reservedIds peer IDs kept for an owner that went away
 */
export function createMetrics({ peers, rooms, sockets, reservedIds }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'rtc_room_peers',
    help: 'Peers registered with the signalling server.',
    registers: [registry],
    collect() {
      this.set(peers());
    },
  });
  new Gauge({
    name: 'rtc_room_rooms',
    help: 'Rooms with at least one registered peer.',
    registers: [registry],
    collect() {
      this.set(rooms());
    },
  });
  new Gauge({
    name: 'rtc_room_connections',
    help: 'Signalling WebSockets by state: registered (a peer), pending (not or not yet), and peer IDs reserved for an owner that went away.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const registered = peers();
      this.set({ state: 'registered' }, registered);
      this.set({ state: 'pending' }, Math.max(0, sockets() - registered));
      this.set({ state: 'reserved' }, reservedIds());
    },
  });
  const relayed = new Counter({
    name: 'rtc_room_messages_relayed_total',
    help: 'Signalling messages (OFFER, ANSWER, CANDIDATE, LEAVE) relayed from one peer to another.',
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'rtc_room_messages_dropped_total',
    help: 'Signalling messages dropped: malformed, to another room, to an absent peer, over the rate.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'rtc_room_refusals_total',
    help: 'WebSockets and /api calls refused, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  return {
    registry,
    /** One message relayed. */
    relayed: () => relayed.inc(),
    /** @param {'malformed' | 'other-room' | 'absent' | 'rate'} reason */
    dropped: (reason) => dropped.inc({ reason }),
    /** @param {RefusalReason} reason */
    refused: (reason) => refusals.inc({ reason }),
  };
}

/** @typedef {ReturnType<typeof createMetrics>} Metrics */
