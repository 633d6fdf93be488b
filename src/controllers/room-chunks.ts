// The chunks beside rtc-room.js that a join needs, loaded on demand so the first file stays small.
import type { TransportFactory } from '../transport/transport.js';
import type { CallModule } from './room-controller.js';

/** The joined room's view, a chunk loaded with the call. */
export type RoomView = typeof import('../ui/room-view.js');

let peerJsTransport: Promise<TransportFactory> | null = null;

/**
 * PeerJS and our transport, loaded once for the page: a join then reaches it without another
 * import's round through the event loop. A failed load is tried again next time.
 */
export function loadPeerJsTransport(): Promise<TransportFactory> {
  peerJsTransport ??= import('../transport/peerjs-transport.js').then(
    (module) => module.createPeerJsTransport,
    (error: unknown) => {
      peerJsTransport = null;
      throw error;
    },
  );
  return peerJsTransport;
}

/**
 * The call and the joined room's view, fetched together (the chat panel waits for the chat to
 * open). The view's styles are added to `root` once, after the element's own.
 */
export async function loadCallAndView(root: ShadowRoot): Promise<[CallModule, RoomView]> {
  const [call, view] = await Promise.all([import('../room/call.js'), import('../ui/room-view.js')]);
  const sheet = view.roomStyles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  return [call, view];
}

/** The host's controls, a chunk loaded once this visitor is a host of the room. */
export type HostView = typeof import('../ui/host-view.js');

/** The door's panels (waiting, removed), a chunk loaded when this visitor meets them. */
export type DoorView = typeof import('../ui/door-view.js');

/** Loads the host's controls, their styles added to `root` once. */
export async function loadHostView(root: ShadowRoot): Promise<HostView> {
  const view = await import('../ui/host-view.js');
  const sheet = view.hostStyles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  return view;
}

export const loadDoorView = (): Promise<DoorView> => import('../ui/door-view.js');

/** The lobby: a chunk loaded when the element shows it, never by a visitor who comes by a link. */
export const loadLobby = (): Promise<typeof import('./lobby-controller.js')> =>
  import('./lobby-controller.js');
