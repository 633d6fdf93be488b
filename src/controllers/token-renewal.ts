import { parseToken } from '../config.js';
import { emit } from '../events.js';

/** The element whose `token` is sent. */
export interface TokenHost extends HTMLElement {
  roomId: string;
  token: string | null;
}

/** The host's join token as requests send it, and the page asked for a fresh one once per token. */
export class TokenRenewal {
  /** The token the page was last asked to renew (undefined: none asked for yet). */
  private askedFor: string | null | undefined = undefined;

  constructor(private readonly host: TokenHost) {}

  /** The join token to send now: the host's, when it is well formed. */
  current(): string | null {
    const token = parseToken(this.host.token);
    return token.ok ? (token.value?.value ?? null) : null;
  }

  /** Fires `rtc-token-expired` for the current token, unless the page was asked already. */
  askForFresh(): void {
    const token = this.current();
    if (this.askedFor === token) return;
    this.askedFor = token;
    emit(this.host, 'rtc-token-expired', { roomId: this.host.roomId });
  }

  /** The page set another token: its expiry is news again. */
  changed(): void {
    this.askedFor = null;
  }
}
