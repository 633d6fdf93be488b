// Plain JavaScript with JSDoc types so that the server (Node, no build step) and the element
// share one reading of a JSON list of RTCIceServer; each words the problems in its own errors.

const ICE_URL_PATTERN = /^(stun|stuns|turn|turns):\S+$/i;
const TURN_URL_PATTERN = /^turns?:/i;

/**
 * One accepted entry: `urls` as given, `username` and `credential` when present.
 * @typedef {{ urls: string | string[], username: string | undefined, credential: string | undefined }} IceServerEntry
 */

/**
 * What is wrong with a list, and in which entry (`index`).
 * @typedef {{ kind: 'not-json' | 'not-array' }
 *   | { kind: 'too-many', max: number }
 *   | { kind: 'bad-url', index: number, url: unknown }
 *   | { kind: 'not-object' | 'no-urls' | 'bad-username' | 'bad-credential' | 'turn-without-credentials', index: number }} IceServersProblem
 */

/** @typedef {{ ok: true, value: IceServerEntry[] } | { ok: false, problem: IceServersProblem }} IceServersCheck */

/**
 * Reads `json`, a JSON array of RTCIceServer: every entry an object with `urls` (one or more
 * stun:, stuns:, turn: or turns: URLs, any case) and string `username` and `credential`, which a
 * TURN server must have (browsers reject one without them when the connection is built).
 * @param {string} json
 * @param {{ maxEntries?: number }} [options]
 * @returns {IceServersCheck}
 */
export function checkIceServers(json, { maxEntries = Infinity } = {}) {
  /** @param {IceServersProblem} problem @returns {IceServersCheck} */
  const fail = (problem) => ({ ok: false, problem });
  /** @type {unknown} */
  let list;
  try {
    list = JSON.parse(json);
  } catch {
    return fail({ kind: 'not-json' });
  }
  if (!Array.isArray(list)) return fail({ kind: 'not-array' });
  if (list.length > maxEntries) return fail({ kind: 'too-many', max: maxEntries });
  /** @type {IceServerEntry[]} */
  const servers = [];
  for (const [index, entry] of list.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return fail({ kind: 'not-object', index });
    }
    const { urls, username, credential } = /** @type {Record<string, unknown>} */ (entry);
    const urlList = typeof urls === 'string' ? [urls] : urls;
    if (!Array.isArray(urlList) || urlList.length === 0) return fail({ kind: 'no-urls', index });
    for (const url of urlList) {
      if (typeof url !== 'string' || !ICE_URL_PATTERN.test(url)) {
        return fail({ kind: 'bad-url', index, url });
      }
    }
    if (username !== undefined && typeof username !== 'string') {
      return fail({ kind: 'bad-username', index });
    }
    if (credential !== undefined && typeof credential !== 'string') {
      return fail({ kind: 'bad-credential', index });
    }
    const isTurn = urlList.some((url) => TURN_URL_PATTERN.test(url));
    if (isTurn && (username === undefined || credential === undefined)) {
      return fail({ kind: 'turn-without-credentials', index });
    }
    servers.push({ urls: /** @type {string | string[]} */ (urls), username, credential });
  }
  return { ok: true, value: servers };
}
