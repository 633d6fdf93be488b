// A Janus session over its WebSocket API: requests matched to replies by transaction, the
// session kept alive, and each plugin handle's events routed to it. Written for the few requests
// the VideoRoom needs; nothing here touches the page beyond the one socket.
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { isRecord } from '../util/is-record.js';

/** How often the session is kept alive: Janus drops a session silent for 60 s. */
export const KEEPALIVE_MS = 25_000;

/** Longest a request waits for Janus's reply before it fails. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** What Janus says back or of its own accord: a JSON object with a `janus` field. */
export type JanusMessage = Record<string, unknown> & { janus: string };

/** A plugin's event on one handle: its data, and an SDP when it carries one. */
export interface PluginEvent {
  data: Record<string, unknown>;
  jsep?: RTCSessionDescriptionInit;
}

/** What a handle hears besides the replies to its own requests. */
export interface HandleListener {
  /** A plugin event (VideoRoom's `event`, `updated`, …) not answering a request of ours. */
  event(event: PluginEvent): void;
  /** Janus's own news about the handle's peer connection: `webrtcup`, `hangup`, `media`, … */
  status?(message: JanusMessage): void;
}

/** The one socket the session needs; `WebSocket` fits, and so does a test's fake. */
export interface JanusSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type JanusSocketFactory = (url: string) => JanusSocket;

const openSocket: JanusSocketFactory = (url) => new WebSocket(url, 'janus-protocol');

/** A request Janus refused, with its code (VideoRoom's `error_code` or Janus's own). */
export class JanusError extends Error {
  override readonly name = 'JanusError';

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (message: JanusMessage) => void;
  reject: (error: Error) => void;
  timer: TimerHandle;
  /** Asynchronous plugin requests are acked first and answered by an event later. */
  waitsForEvent: boolean;
}

export interface JanusSessionOptions {
  /** The token Janus's `token_auth` checks; renewed with `setToken`. */
  token: string;
  openSocket?: JanusSocketFactory;
  clock?: Clock;
}

/** One Janus session on its own WebSocket. */
export class JanusSession {
  private readonly socket: JanusSocket;
  private readonly clock: Clock;
  private readonly pending = new Map<string, Pending>();
  private readonly handles = new Map<number, HandleListener>();
  private token: string;
  private sessionId = 0;
  private nextTransaction = 1;
  private keepaliveTimer: TimerHandle | undefined;
  private isClosed = false;
  private readonly closeListeners = new Set<() => void>();

  private constructor(url: string, options: JanusSessionOptions) {
    this.token = options.token;
    this.clock = options.clock ?? systemClock;
    this.socket = (options.openSocket ?? openSocket)(url);
    this.socket.onmessage = (event) => this.handleFrame(event.data);
    this.socket.onclose = () => this.close();
    this.socket.onerror = () => this.close();
  }

  /** Opens the socket and creates the session; rejects when either fails. */
  static async connect(url: string, options: JanusSessionOptions): Promise<JanusSession> {
    const session = new JanusSession(url, options);
    await new Promise<void>((resolve, reject) => {
      session.socket.onopen = () => resolve();
      session.onClose(() => reject(new JanusError(0, `Cannot reach Janus at ${url}`)));
    });
    const created = await session.request({ janus: 'create' });
    session.sessionId = Number((created.data as { id?: unknown } | undefined)?.id);
    session.keepAlive();
    return session;
  }

  /** Whether the socket or the session is gone. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Calls `listener` once when the session ends (socket closed, session timed out, `close()`). */
  onClose(listener: () => void): void {
    if (this.isClosed) listener();
    else this.closeListeners.add(listener);
  }

  /** A fresh Janus token (the server renews it): later requests carry it. */
  setToken(token: string): void {
    this.token = token;
  }

  /** Attaches a handle to `plugin`; its events go to `listener`. Resolves with its ID. */
  async attach(plugin: string, listener: HandleListener): Promise<number> {
    const reply = await this.request({ janus: 'attach', plugin });
    const id = Number((reply.data as { id?: unknown } | undefined)?.id);
    this.handles.set(id, listener);
    return id;
  }

  /**
   * Sends a plugin request on a handle; resolves with the plugin's answer (at once for a
   * synchronous request, after its ack for an asynchronous one), rejects with a JanusError.
   */
  async message(
    handleId: number,
    body: Record<string, unknown>,
    jsep?: RTCSessionDescriptionInit,
  ): Promise<PluginEvent> {
    const reply = await this.request(
      { janus: 'message', handle_id: handleId, body, ...(jsep ? { jsep } : {}) },
      true,
    );
    const event = pluginEventOf(reply);
    if (!event) throw new JanusError(0, 'Janus answered without plugin data');
    const code = event.data.error_code;
    if (typeof code === 'number') throw new JanusError(code, String(event.data.error ?? code));
    return event;
  }

  /** Sends one of our ICE candidates (null: gathering is complete). */
  trickle(handleId: number, candidate: RTCIceCandidateInit | null): void {
    this.send({
      janus: 'trickle',
      handle_id: handleId,
      candidate: candidate ?? { completed: true },
      transaction: this.transaction(),
    });
  }

  /** Detaches a handle (its peer connection is closed by Janus); errors are ignored. */
  detach(handleId: number): void {
    this.handles.delete(handleId);
    if (!this.isClosed) this.request({ janus: 'detach', handle_id: handleId }).catch(() => {});
  }

  /** Ends the session and closes the socket. */
  close(): void {
    if (this.isClosed) return;
    this.send({ janus: 'destroy', transaction: this.transaction() });
    this.isClosed = true;
    this.clock.clearTimeout(this.keepaliveTimer);
    this.socket.onmessage = this.socket.onclose = this.socket.onerror = null;
    this.socket.close();
    for (const pending of this.pending.values()) {
      this.clock.clearTimeout(pending.timer);
      pending.reject(new JanusError(0, 'The Janus session closed'));
    }
    this.pending.clear();
    this.handles.clear();
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
  }

  private keepAlive(): void {
    this.keepaliveTimer = this.clock.setTimeout(() => {
      if (this.isClosed) return;
      this.send({ janus: 'keepalive', transaction: this.transaction() });
      this.keepAlive();
    }, KEEPALIVE_MS);
  }

  private request(message: Record<string, unknown>, isPlugin = false): Promise<JanusMessage> {
    if (this.isClosed) return Promise.reject(new JanusError(0, 'The Janus session closed'));
    const transaction = this.transaction();
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(transaction);
        reject(new JanusError(0, `Janus did not answer "${String(message.janus)}"`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(transaction, { resolve, reject, timer, waitsForEvent: isPlugin });
      this.send({ ...message, transaction });
    });
  }

  private send(message: Record<string, unknown>): void {
    if (this.isClosed || this.socket.readyState !== 1) return;
    const session = this.sessionId ? { session_id: this.sessionId } : {};
    this.socket.send(JSON.stringify({ ...message, ...session, token: this.token }));
  }

  private transaction(): string {
    return `t${this.nextTransaction++}`;
  }

  private handleFrame(raw: unknown): void {
    let message: unknown;
    try {
      message = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (!isRecord(message) || typeof message.janus !== 'string') return;
    const frame = message as JanusMessage;
    const pending =
      typeof frame.transaction === 'string' ? this.pending.get(frame.transaction) : undefined;
    if (pending) {
      this.settle(frame, pending);
      return;
    }
    if (frame.janus === 'timeout') {
      this.close();
      return;
    }
    const listener = this.handles.get(Number(frame.sender));
    if (!listener) return;
    if (frame.janus === 'detached') this.handles.delete(Number(frame.sender));
    const event = frame.janus === 'event' ? pluginEventOf(frame) : null;
    if (event) listener.event(event);
    else listener.status?.(frame);
  }

  private settle(frame: JanusMessage, pending: Pending): void {
    const transaction = String(frame.transaction);
    // An asynchronous request's ack: its answer comes as an event with the same transaction.
    if (frame.janus === 'ack' && pending.waitsForEvent) return;
    this.pending.delete(transaction);
    this.clock.clearTimeout(pending.timer);
    if (frame.janus === 'error') {
      const error = isRecord(frame.error) ? frame.error : {};
      pending.reject(new JanusError(Number(error.code) || 0, String(error.reason ?? 'error')));
    } else pending.resolve(frame);
  }
}

function pluginEventOf(frame: JanusMessage): PluginEvent | null {
  const plugindata = frame.plugindata;
  if (!isRecord(plugindata) || !isRecord(plugindata.data)) return null;
  const jsep = frame.jsep;
  const hasJsep = isRecord(jsep) && typeof jsep.type === 'string' && typeof jsep.sdp === 'string';
  return {
    data: plugindata.data,
    ...(hasJsep ? { jsep: { type: jsep.type as RTCSdpType, sdp: jsep.sdp as string } } : {}),
  };
}
