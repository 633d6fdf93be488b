// The host's controls, a chunk of its own: only a visitor who is a host of the room loads it.
// The lock, the host link, the door's knock panel, and each tile's Mute / Lower hand / Remove.
import { css, html, nothing, type TemplateResult } from 'lit';
import type { Participant } from '../room/participant.js';
import type { Knocker } from '../room/room-moderation.js';
import type { RoomCommand } from '../room/room-protocol.js';
import { placeAboveButton } from './controls.js';

/** The host controls' sentences; a language is a complete table. */
interface HostStrings {
  hostControls: string;
  lockRoom: string;
  unlockRoom: string;
  locked: string;
  copyHostLink: string;
  hostLinkCopied: string;
  knocking: (count: number) => string;
  admit: string;
  deny: string;
  admitName: (name: string) => string;
  denyName: (name: string) => string;
  hostMenu: (name: string) => string;
  mute: string;
  lowerHand: string;
  remove: string;
}

const en: HostStrings = {
  hostControls: 'Host controls',
  lockRoom: 'Lock room',
  unlockRoom: 'Unlock room',
  locked: 'The room is locked: newcomers wait for a host to let them in.',
  copyHostLink: 'Copy host link',
  hostLinkCopied: 'Host link copied',
  knocking: (count) =>
    count === 1 ? '1 person is waiting to join' : `${count} people are waiting to join`,
  admit: 'Admit',
  deny: 'Deny',
  admitName: (name) => `Admit ${name}`,
  denyName: (name) => `Deny ${name}`,
  hostMenu: (name) => `Host actions for ${name}`,
  mute: 'Turn microphone off',
  lowerHand: 'Lower hand',
  remove: 'Remove from the room',
};

const zhCN: HostStrings = {
  hostControls: '主持人控制',
  lockRoom: '锁定房间',
  unlockRoom: '解锁房间',
  locked: '房间已锁定：新来的人需等待主持人同意进入。',
  copyHostLink: '复制主持人链接',
  hostLinkCopied: '已复制主持人链接',
  knocking: (count) => `${count} 人正在等待进入`,
  admit: '准许',
  deny: '拒绝',
  admitName: (name) => `准许 ${name} 进入`,
  denyName: (name) => `拒绝 ${name} 进入`,
  hostMenu: (name) => `对 ${name} 的主持人操作`,
  mute: '关闭麦克风',
  lowerHand: '放下手',
  remove: '移出房间',
};

/** What the host controls show and act on. */
export interface HostControlsView {
  /** The UI language's tag (`en`, `zh-CN`). */
  locale: string;
  locked: boolean;
  knocking: readonly Knocker[];
  /** The link that gives host rights, when this browser holds the room's host key. */
  hostLink: string | null;
  /** Whether the host link was just copied. */
  isHostLinkCopied: boolean;
  onCopyHostLink: (link: string) => void;
  /** Sends a host's command (a refusal is reported as `rtc-error`). */
  act: (command: RoomCommand) => void;
}

const stringsOf = (locale: string): HostStrings => (locale === 'zh-CN' ? zhCN : en);

/** The host's panel: the lock, the host link, and whoever knocks, with Admit and Deny. */
export function renderHostPanel(view: HostControlsView): TemplateResult {
  const strings = stringsOf(view.locale);
  const { locked, knocking, hostLink, act } = view;
  return html`<section part="host-panel" class="host-panel" aria-label=${strings.hostControls}>
    <div class="host-actions">
      <button
        part="button"
        type="button"
        aria-pressed=${locked ? 'true' : 'false'}
        data-action="lock"
        @click=${() => act({ command: locked ? 'unlock' : 'lock' })}
      >
        ${locked ? strings.unlockRoom : strings.lockRoom}
      </button>
      ${
        hostLink
          ? html`<button
              part="button"
              type="button"
              data-action="copy-host-link"
              @click=${() => view.onCopyHostLink(hostLink)}
            >
              ${view.isHostLinkCopied ? strings.hostLinkCopied : strings.copyHostLink}
            </button>`
          : nothing
      }
    </div>
    ${locked ? html`<p class="host-note">${strings.locked}</p>` : nothing}
    ${
      knocking.length > 0
        ? html`<div
            part="knock-panel"
            class="knock-panel"
            role="region"
            aria-live="polite"
            aria-label=${strings.knocking(knocking.length)}
          >
            <p>${strings.knocking(knocking.length)}</p>
            <ul>
              ${knocking.map(
                (knocker) =>
                  html`<li data-knocker-id=${knocker.id}>
                    <span>${knocker.name}</span>
                    <button
                      part="button"
                      type="button"
                      class="primary"
                      data-action="admit"
                      aria-label=${strings.admitName(knocker.name)}
                      @click=${() => act({ command: 'admit', id: knocker.id })}
                    >
                      ${strings.admit}
                    </button>
                    <button
                      part="button"
                      type="button"
                      data-action="deny"
                      aria-label=${strings.denyName(knocker.name)}
                      @click=${() => act({ command: 'deny', id: knocker.id })}
                    >
                      ${strings.deny}
                    </button>
                  </li>`,
              )}
            </ul>
          </div>`
        : nothing
    }
  </section>`;
}

/** A remote tile's host menu: turn their microphone off, lower their hand, remove them. */
export function renderHostMenu(
  participant: Participant,
  name: string,
  view: HostControlsView,
): TemplateResult {
  const strings = stringsOf(view.locale);
  const id = `host-menu-${participant.id}`;
  const { act } = view;
  const item = (label: string, action: string, command: RoomCommand) =>
    html`<button
      part="button"
      type="button"
      role="menuitem"
      data-action=${action}
      popovertarget=${id}
      popovertargetaction="hide"
      @click=${() => act(command)}
    >
      ${label}
    </button>`;
  return html`<button
      part="button host-menu-button"
      type="button"
      aria-label=${strings.hostMenu(name)}
      title=${strings.hostMenu(name)}
      aria-haspopup="menu"
      popovertarget=${id}
      data-action="host-menu"
    >
      ⋯
    </button>
    <div
      part="host-menu"
      class="host-menu"
      id=${id}
      role="menu"
      aria-label=${strings.hostMenu(name)}
      popover
      @toggle=${placeAboveButton}
    >
      ${participant.hasAudio ? item(strings.mute, 'mute', { command: 'mute', id: participant.id }) : nothing}
      ${
        participant.handRaised
          ? item(strings.lowerHand, 'lower-hand', { command: 'lower-hand', id: participant.id })
          : nothing
      }
      ${item(strings.remove, 'remove', { command: 'remove', id: participant.id })}
    </div>`;
}

/** The host controls' styles, added to the room's once this chunk loads. */
export const hostStyles = css`
  /* It lies over the stage, as the notices do: a card of its own, readable over any video. */
  .host-panel {
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: 8px 12px;
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_bg) 92%, transparent);
    box-shadow: 0 2px 8px rgb(0 0 0 / 30%);
  }
  .host-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .host-note {
    margin: 0;
    font-size: 0.875em;
    opacity: 0.8;
  }
  .knock-panel ul {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .knock-panel li {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 4px 0;
  }
  .knock-panel li span {
    flex: 1;
    overflow-wrap: anywhere;
  }
  .host-menu {
    inset: auto;
    margin: 0;
    padding: 6px;
    border: 0;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_tile-bg);
    color: var(--_fg);
    box-shadow: 0 4px 16px rgb(0 0 0 / 40%);
  }
  .host-menu:popover-open {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
`;
