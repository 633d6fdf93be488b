import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { parseServerUrl } from '../config.js';
import type { Strings } from '../i18n/strings.js';
import { inviteLink, rememberHostKey } from '../room-links.js';
import { isRoomId } from '../room/room-id.js';
import { renderLobby } from '../ui/lobby.js';

/** The element the lobby names a room for. */
export interface LobbyHost extends ReactiveControllerHost {
  roomId: string;
  server: string | null;
  join(): Promise<void>;
}

/**
 * The lobby: "create a room", which makes the page's address its invite link, and "join by ID",
 * with what the visitor typed (a room ID or an invite link) and whether it names a room. A chunk
 * of its own with its view: a visitor who comes by a link never loads it.
 */
export class LobbyController {
  /** What the visitor typed in the room ID field. */
  draft = '';
  /** Whether the typed text named no room (shown once they tried to join). */
  isDraftInvalid = false;

  /**
   * `queryParameter` is the one an invite link carries the room ID in; `scriptUrl` where the
   * script came from (the default server).
   */
  constructor(
    private readonly host: LobbyHost,
    private readonly queryParameter: string,
    private readonly scriptUrl: string,
  ) {}

  render(strings: Strings): TemplateResult {
    return renderLobby({
      strings,
      roomIdDraft: this.draft,
      isRoomIdDraftInvalid: this.isDraftInvalid,
      onCreateRoom: this.handleCreateRoom,
      onJoinById: this.handleSubmit,
      onRoomIdInput: this.handleInput,
    });
  }

  // The server makes the room, with a host key this browser keeps: its creator is its host. A
  // server that makes none (an older one, or one whose site hands out join tokens) leaves an
  // open room with a fresh ID. The creator gets the prejoin too: a name and a camera preview.
  readonly handleCreateRoom = async (): Promise<void> => {
    const server = parseServerUrl(this.host.server, this.scriptUrl);
    let roomId: string = crypto.randomUUID();
    try {
      if (!server.ok) throw server.error;
      const response = await fetch(new URL('/api/rooms', server.value), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        credentials: 'omit',
      });
      const created: unknown = response.ok ? await response.json() : null;
      const { roomId: id, hostKey } = (created ?? {}) as Record<string, unknown>;
      if (isRoomId(id) && typeof hostKey === 'string') {
        roomId = id;
        rememberHostKey(id, hostKey);
      }
    } catch {
      // No server to make it: an open room.
    }
    this.host.roomId = roomId;
    history.replaceState(history.state, '', inviteLink(roomId, this.queryParameter));
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
