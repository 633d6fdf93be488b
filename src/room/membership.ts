// Pure decisions about who connects to whom, so the mesh rules are tested without a network.

/**
 * When two peers dial each other at once, both keep the link dialled by the smaller ID, so
 * each pair ends up connected exactly once.
 */
export function keepsOwnDial(ownId: string, remoteId: string): boolean {
  return ownId < remoteId;
}

/**
 * The peers to dial after listing the room: everyone listed but ourselves and those we already
 * have a link with or know to have left. On the periodic re-check (`isJoining` false) only the
 * smaller ID of a pair dials, so a missed pair is healed once rather than twice.
 */
export function peersToDial(
  ownId: string,
  listed: readonly string[],
  linked: ReadonlySet<string>,
  departed: ReadonlySet<string>,
  isJoining: boolean,
): string[] {
  return [...new Set(listed)].filter(
    (id) =>
      id !== ownId &&
      !linked.has(id) &&
      !departed.has(id) &&
      (isJoining || keepsOwnDial(ownId, id)),
  );
}

/**
 * Attempts to connect to one peer before it is shown as unreachable, when links to it close or
 * fail for other reasons than ICE finding no path.
 */
export const MAX_CONNECT_ATTEMPTS = 3;

/** What the mesh knows of a peer whose link just failed (`failures` counts this one). */
export interface FailedPeer {
  failures: number;
  hasConnected: boolean;
  isRelayOnly: boolean;
}

/**
 * When to dial a peer again after a link to it failed: after a back-off, a bounded number of
 * times, then never (null: it is shown unreachable). When ICE found no path to a peer never reached, the
 * same servers on the same networks would fail the same way after another full ICE timeout: it
 * gets one retry at once through TURN alone where TURN is configured, else is given up at once.
 */
export function afterFailure(
  peer: FailedPeer,
  reason: 'failed' | 'no-path',
  canRelay: boolean,
): { afterMs: number; relayOnly: boolean } | null {
  if (reason === 'no-path' && !peer.hasConnected) {
    return peer.isRelayOnly || !canRelay ? null : { afterMs: 0, relayOnly: true };
  }
  if (peer.failures < MAX_CONNECT_ATTEMPTS) {
    return { afterMs: 500 * 2 ** (peer.failures - 1), relayOnly: false };
  }
  return null;
}
