// The one place where attribute values become configuration, each with its RoomError.
import { checkIceServers, type IceServersProblem } from './config/ice-servers.js';
import { RoomError } from './errors.js';

/** How the tiles are arranged. */
export type Layout = 'grid' | 'speaker' | 'sidebar';

export const LAYOUTS: readonly Layout[] = ['grid', 'speaker', 'sidebar'];

/**
 * How the microphone's noise is suppressed: `browser` by the browser's own processing, `strong`
 * by RNNoise on what is sent, `off` not at all (nor echo cancellation or gain control).
 */
export type NoiseSuppression = 'browser' | 'strong' | 'off';

export const NOISE_SUPPRESSIONS: readonly NoiseSuppression[] = ['browser', 'strong', 'off'];

/**
 * What is behind the visitor in the video sent: `none`, `blur`, or the URL of a picture.
 * (`string & {}` keeps the two words offered by editors.)
 */
export type Background = 'none' | 'blur' | (string & {});

/** The colour scheme: `auto` follows the visitor's `prefers-color-scheme`. */
export type Theme = 'auto' | 'light' | 'dark';

/** Most ICE server entries accepted from a page; more is a mistake, not a configuration. */
export const MAX_ICE_SERVERS = 16;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: RoomError };

function fail<T>(code: RoomError['code'], message: string): Parsed<T> {
  return { ok: false, error: new RoomError(code, message) };
}

/**
 * Parses the `ice-servers` attribute: a JSON array of RTCIceServer. `null` (no attribute)
 * means "ask the server".
 */
export function parseIceServers(value: string | null): Parsed<RTCIceServer[] | null> {
  if (value === null || value.trim() === '') return { ok: true, value: null };
  const checked = checkIceServers(value, { maxEntries: MAX_ICE_SERVERS });
  if (!checked.ok) return fail('bad-ice-servers', iceServersMessage(checked.problem));
  return {
    ok: true,
    value: checked.value.map(({ urls, username, credential }) => ({
      urls: typeof urls === 'string' ? [urls] : urls,
      username,
      credential,
    })),
  };
}

function iceServersMessage(problem: IceServersProblem): string {
  const where = 'index' in problem ? `ice-servers[${problem.index}]` : 'ice-servers';
  switch (problem.kind) {
    case 'not-json':
      return 'ice-servers is not valid JSON';
    case 'not-array':
      return 'ice-servers must be a JSON array';
    case 'too-many':
      return `ice-servers has more than ${problem.max} entries`;
    case 'not-object':
      return `${where} must be an object with "urls"`;
    case 'no-urls':
      return `${where}.urls must be a URL or a non-empty array of URLs`;
    case 'bad-url':
      return `${where}.urls has "${String(problem.url)}", not a stun: or turn: URL`;
    case 'bad-username':
      return `${where}.username must be a string`;
    case 'bad-credential':
      return `${where}.credential must be a string`;
    case 'turn-without-credentials':
      return `${where} is a TURN server and needs username and credential`;
  }
}

/** Parses the `server` attribute; without it, the origin this script was loaded from. */
export function parseServerUrl(value: string | null, scriptUrl: string): Parsed<URL> {
  try {
    const url = new URL(value?.trim() || '/', scriptUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return fail('bad-server', `server must be an http: or https: URL, not "${value}"`);
    }
    return { ok: true, value: new URL(url.origin) };
  } catch {
    return fail('bad-server', `server is not a URL: "${value}"`);
  }
}

/** Reads `ice-transport-policy`; anything but `relay` means `all`. */
export function parseIceTransportPolicy(value: string | null): RTCIceTransportPolicy {
  return value === 'relay' ? 'relay' : 'all';
}

/** Reads `layout`; unknown values fall back to `grid`. */
export function parseLayout(value: string | null): Layout {
  return LAYOUTS.find((layout) => layout === value) ?? 'grid';
}

/** Reads `noise-suppression`; a value it does not know warns on the console and means `browser`. */
export function parseNoiseSuppression(value: string | null): NoiseSuppression {
  const mode = NOISE_SUPPRESSIONS.find((known) => known === value);
  if (!mode && value !== null) {
    console.warn(`rtc-room: noise-suppression="${value}" is not ${NOISE_SUPPRESSIONS}`);
  }
  return mode ?? 'browser';
}

/**
 * Reads `background`: `none` (also for an empty value), `blur`, or else a picture's URL (one
 * that cannot be loaded is told by a `background-failed` error when it is used).
 */
export function parseBackground(value: string | null): Background {
  return value?.trim() || 'none';
}

/** Reads `theme`; anything but `light` or `dark` means `auto`. */
export function parseTheme(value: string | null): Theme {
  return value === 'light' || value === 'dark' ? value : 'auto';
}

/** Longest `token` read; a join token with the claims the server reads is a few hundred bytes. */
export const MAX_TOKEN_LENGTH = 4096;

/** A join token as the element reads it (the server checks its signature). */
export interface JoinToken {
  /** The token itself, sent to the server. */
  value: string;
  /** The room it admits to (`room` claim). */
  roomId: string | null;
  /** The display name the host site vouches for (`name` claim), or null. */
  name: string | null;
  /** When it expires (ms since the epoch), or null when it does not say. */
  expiresAt: number | null;
}

const JWT_PATTERN = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;

/**
 * Parses the `token` attribute: a JWT from the host site's backend. Its claims are read, not
 * trusted: only the server can check the signature. `null` (no attribute) means no token.
 */
export function parseToken(value: string | null): Parsed<JoinToken | null> {
  const token = value?.trim() ?? '';
  if (token === '') return { ok: true, value: null };
  const bad = () => fail<JoinToken | null>('unauthorized', 'token is not a join token (a JWT)');
  const match = token.length <= MAX_TOKEN_LENGTH ? JWT_PATTERN.exec(token) : null;
  if (!match) return bad();
  let claims: unknown;
  try {
    const base64 = match[1].replaceAll('-', '+').replaceAll('_', '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) =>
      c.charCodeAt(0),
    );
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return bad();
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return bad();
  const { room, name, exp } = claims as Record<string, unknown>;
  return {
    ok: true,
    value: {
      value: token,
      roomId: typeof room === 'string' ? room : null,
      name: typeof name === 'string' ? name : null,
      expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null,
    },
  };
}
