// The token a visit registers with PeerServer: `<client secret>[.<join token>][~<host key>]`, as
// the server reads it (server/join-tokens.js `splitPeerToken`).

const SECRET_PREFIX = 'rtc-room:secret:';

/**
 * This tab's secret for a room: the server binds the visit's peer ID to it, and knows a reload by
 * it (the same default name, and a removal that holds). Random, kept for the tab's life where
 * storage allows it.
 */
export function clientSecretFor(roomId: string): string {
  const key = SECRET_PREFIX + roomId;
  let secret: string | null = null;
  try {
    secret = sessionStorage.getItem(key);
  } catch {
    // No storage (a sandboxed frame): a fresh secret per visit.
  }
  if (secret && /^[0-9a-f]{32}$/.test(secret)) return secret;
  secret = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  try {
    sessionStorage.setItem(key, secret);
  } catch {
    // Not kept: a reload is a new visitor to the server.
  }
  return secret;
}

/** The PeerServer token of a visit, with its join token and host key when it has them. */
export function peerServerToken(
  secret: string,
  joinToken: string | null | undefined,
  hostKey: string | null | undefined,
): string {
  return secret + (joinToken ? `.${joinToken}` : '') + (hostKey ? `~${hostKey}` : '');
}
