/**
 * How long without a new ICE candidate ends a burst. A browser hands out its host candidates
 * within a few milliseconds of the local description; server-reflexive and relay ones come a
 * round trip later, in a burst of their own.
 */
export const CANDIDATE_QUIET_MS = 5;

/**
 * Resolves once the first burst of ICE candidates after `connection`'s local description has been
 * handed out (none came for `quietMs` after the last), or its gathering is complete. Call it as
 * the local description is set: a page busy rendering while the candidates come holds each one
 * up on its way to the signalling server, and the connection with it.
 */
export function afterCandidateBurst(
  connection: RTCPeerConnection,
  quietMs = CANDIDATE_QUIET_MS,
): Promise<void> {
  return new Promise((resolve) => {
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      clearTimeout(quiet);
      connection.removeEventListener('icecandidate', restart);
      connection.removeEventListener('icegatheringstatechange', ifComplete);
      resolve();
    };
    function restart(): void {
      clearTimeout(quiet);
      quiet = setTimeout(done, quietMs);
    }
    function ifComplete(): void {
      if (connection.iceGatheringState === 'complete') done();
    }
    connection.addEventListener('icecandidate', restart);
    connection.addEventListener('icegatheringstatechange', ifComplete);
    ifComplete();
  });
}
