import type { ReactiveControllerHost } from 'lit';
import { isRoomId } from '../room/room-id.js';

/** The element the lobby names a room for. */
export interface LobbyHost extends ReactiveControllerHost {
  roomId: string;
  join(): Promise<void>;
}

/** This page's address as an invite link to `roomId`, carried in `queryParameter`. */
export function inviteLink(roomId: string, queryParameter: string): string {
  const url = new URL(location.href);
  url.searchParams.set(queryParameter, roomId);
  url.hash = '';
  return url.href;
}

/**
 * The lobby: "create a room", which makes the page's address its invite link, and "join by ID",
 * with what the visitor typed (a room ID or an invite link) and whether it names a room.
 */
export class LobbyController {
  /** What the visitor typed in the room ID field. */
  draft = '';
  /** Whether the typed text named no room (shown once they tried to join). */
  isDraftInvalid = false;

  /** `queryParameter` is the one an invite link carries the room ID in. */
  constructor(
    private readonly host: LobbyHost,
    private readonly queryParameter: string,
  ) {}

  // The creator gets the prejoin too: a name and a look at their camera before the room.
  readonly handleCreateRoom = (): void => {
    this.host.roomId = crypto.randomUUID();
    history.replaceState(history.state, '', inviteLink(this.host.roomId, this.queryParameter));
  };

  readonly handleInput = (event: InputEvent): void => {
    this.draft = (event.target as HTMLInputElement).value;
    this.isDraftInvalid = false;
    this.host.requestUpdate();
  };

  readonly handleSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const roomId = this.roomIdOfDraft();
    this.isDraftInvalid = !isRoomId(roomId);
    this.host.requestUpdate();
    if (this.isDraftInvalid) return;
    this.host.roomId = roomId;
    void this.host.join();
  };

  private roomIdOfDraft(): string {
    const typed = this.draft.trim();
    try {
      return new URL(typed).searchParams.get(this.queryParameter) ?? typed;
    } catch {
      return typed; // Not a link: the visitor typed the ID itself.
    }
  }
}
