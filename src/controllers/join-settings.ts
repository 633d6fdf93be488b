// What a join needs from the element's attributes, read once per join: plain data, no DOM.
import {
  parseIceServers,
  parseServerUrl,
  parseToken,
  type JoinToken,
  type Parsed,
} from '../config.js';
import { RoomError } from '../errors.js';

/** The attributes a join reads. */
export interface JoinAttributes {
  roomId: string;
  server: string | null;
  iceServers: string | null;
  token: string | null;
}

export interface JoinSettings {
  server: URL;
  /** The page's ICE servers, or null for the server's. */
  iceServers: RTCIceServer[] | null;
  token: JoinToken | null;
}

/**
 * The settings of a join, or the error that stops it. A bad `ice-servers` does not stop it: the
 * server's are used, and `iceError` says why.
 */
export function readJoinSettings(
  attributes: JoinAttributes,
  scriptUrl: string,
): { settings: Parsed<JoinSettings>; iceError: RoomError | null } {
  const ice = parseIceServers(attributes.iceServers);
  const iceError = ice.ok ? null : ice.error;
  const iceServers = ice.ok ? ice.value : null;
  const server = parseServerUrl(attributes.server, scriptUrl);
  if (!server.ok) return { settings: server, iceError };
  const token = parseToken(attributes.token);
  if (!token.ok) return { settings: token, iceError };
  if (token.value?.roomId && token.value.roomId !== attributes.roomId) {
    const error = new RoomError('unauthorized', 'token is for another room than room-id');
    return { settings: { ok: false, error }, iceError };
  }
  return {
    settings: { ok: true, value: { server: server.value, iceServers, token: token.value } },
    iceError,
  };
}
