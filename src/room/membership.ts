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
