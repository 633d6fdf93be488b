/**
 * How a remote peer is watched for life over its data channel. A peer that sends nothing (not
 * even a heartbeat) for `suspectMs` makes us ask the signalling server whether our own socket
 * still reaches it (our network may have changed under us); one silent for `silenceMs` is shown
 * as `reconnecting` (at once when ICE reports its path lost) and a fresh call is tried; one still
 * silent `reconnectWindowMs` later is removed. With the defaults a frozen or vanished peer shows
 * as reconnecting 5 s after its last frame and is removed 20 s after it.
 */
export interface LivenessPolicy {
  /** How often we send a heartbeat on each data channel. */
  heartbeatMs: number;
  /** Silence after which our signalling socket is checked (twice the heartbeat: one missed). */
  suspectMs: number;
  /** Silence after which a peer is shown as reconnecting. */
  silenceMs: number;
  /** How long a peer may stay reconnecting before it is removed. */
  reconnectWindowMs: number;
}

export const DEFAULT_LIVENESS: Readonly<LivenessPolicy> = {
  heartbeatMs: 1_000,
  suspectMs: 2_000,
  silenceMs: 5_000,
  reconnectWindowMs: 15_000,
};
