import { html, nothing, type TemplateResult } from 'lit';
import { LAYOUTS, type Layout } from '../config.js';
import { REACTIONS } from '../room/reactions.js';
import type { Strings } from '../i18n/strings.js';
import {
  cameraIcon,
  cameraOffIcon,
  chatIcon,
  exitFullscreenIcon,
  fullscreenIcon,
  layoutIcon,
  leaveIcon,
  micIcon,
  micOffIcon,
  screenShareIcon,
  settingsIcon,
} from './icons.js';
import { renderIconButton } from './icon-button.js';
import { renderDevicePickers, type DevicePickersView } from './device-pickers.js';

export interface ControlsView {
  strings: Strings;
  hasAudio: boolean;
  hasVideo: boolean;
  layout: Layout;
  /** Whether the chat button is shown (`no-chat` hides it). */
  hasChat: boolean;
  isChatOpen: boolean;
  unreadMessages: number;
  onToggleMicrophone: () => void;
  onToggleCamera: () => void;
  onToggleChat: () => void;
  onChooseLayout: (layout: Layout) => void;
  /** Whether the room fills the screen. */
  isFullscreen: boolean;
  onToggleFullscreen: () => void;
  /** Whether this browser can share a screen, and whether this visitor does. */
  canShareScreen: boolean;
  isSharingScreen: boolean;
  onToggleScreenShare: () => void;
  /** The camera, microphone and speaker pickers for the device menu. */
  devices: DevicePickersView;
  isHandRaised: boolean;
  onToggleHand: () => void;
  onReact: (emoji: string) => void;
  onLeave: () => void;
}

export interface Toggle {
  isOn: boolean;
  /** What pressing does, when off and when on. */
  labels: [string, string];
  icons: [TemplateResult, TemplateResult];
  action: string;
  onClick: () => void;
}

const LAYOUT_MENU_ID = 'layout-menu';
const REACTION_MENU_ID = 'reaction-menu';
const DEVICE_MENU_ID = 'device-menu';

/** A device button: pressed (red) while the device is off, labelled with what a press does. */
export function renderToggle({ isOn, labels, icons, action, onClick }: Toggle): TemplateResult {
  const index = isOn ? 1 : 0;
  return renderIconButton({
    label: labels[index],
    icon: icons[index],
    action,
    onClick,
    isPressed: !isOn,
  });
}

function renderChatToggle(view: ControlsView): TemplateResult {
  const { strings, unreadMessages: unread } = view;
  const label =
    unread > 0 ? `${strings.chat.title}, ${strings.chat.unread(unread)}` : strings.chat.title;
  return html`<button
    part="button"
    class="chat-toggle"
    aria-expanded=${view.isChatOpen ? 'true' : 'false'}
    aria-controls="chat-pane"
    aria-label=${label}
    title=${label}
    data-action="chat"
    @click=${view.onToggleChat}
  >
    ${chatIcon}
    ${
      unread > 0 && !view.isChatOpen
        ? html`<span part="badge" class="badge" aria-hidden="true"
            >${unread > 99 ? '99+' : unread}</span
          >`
        : nothing
    }
  </button>`;
}

// Popovers open in the middle of the viewport; this one belongs just above its button.
export function placeAboveButton(event: ToggleEvent): void {
  const menu = event.target as HTMLElement;
  const button = menu.previousElementSibling;
  if (event.newState !== 'open' || !button) return;
  const anchor = button.getBoundingClientRect();
  const left = anchor.left + anchor.width / 2 - menu.offsetWidth / 2;
  menu.style.left = `${Math.max(4, Math.min(left, innerWidth - menu.offsetWidth - 4))}px`;
  menu.style.top = `${Math.max(4, anchor.top - menu.offsetHeight - 6)}px`;
}

interface PopoverButton {
  /** The popover's ID and the name of its part (the button gets `<part>-button` too). */
  id: string;
  /** The button's accessible name; the popover is named `popoverLabel`. */
  label: string;
  popoverLabel: string;
  icon: TemplateResult;
  action: string;
  role: 'menu' | 'dialog';
  content: unknown;
}

// A button that opens a popover just above it: light dismiss and Escape come with the platform.
function renderPopoverButton(popover: PopoverButton): TemplateResult {
  return html`<button
      part="button ${popover.id.replace(/-menu$/, '')}-button"
      type="button"
      aria-label=${popover.label}
      title=${popover.label}
      aria-haspopup=${popover.role}
      popovertarget=${popover.id}
      data-action=${popover.action}
    >
      ${popover.icon}
    </button>
    <div
      part=${popover.id}
      class=${popover.id}
      id=${popover.id}
      role=${popover.role}
      aria-label=${popover.popoverLabel}
      popover
      @toggle=${placeAboveButton}
    >
      ${popover.content}
    </div>`;
}

function renderLayoutMenu(view: ControlsView): TemplateResult {
  const { strings } = view;
  return renderPopoverButton({
    id: LAYOUT_MENU_ID,
    label: `${strings.layout}: ${strings.layouts[view.layout]}`,
    popoverLabel: strings.layout,
    icon: layoutIcon,
    action: 'layout',
    role: 'menu',
    content: LAYOUTS.map(
      (layout) =>
        html`<button
          part="button"
          role="menuitemradio"
          aria-checked=${layout === view.layout ? 'true' : 'false'}
          data-layout=${layout}
          popovertarget=${LAYOUT_MENU_ID}
          popovertargetaction="hide"
          @click=${() => view.onChooseLayout(layout)}
        >
          ${strings.layouts[layout]}
        </button>`,
    ),
  });
}

function renderReactionMenu(view: ControlsView): TemplateResult {
  const { strings } = view;
  return renderPopoverButton({
    id: REACTION_MENU_ID,
    label: strings.react,
    popoverLabel: strings.react,
    icon: html`<span aria-hidden="true">${REACTIONS[0]}</span>`,
    action: 'react',
    role: 'menu',
    content: REACTIONS.map(
      (emoji) =>
        html`<button
          part="button"
          role="menuitem"
          data-emoji=${emoji}
          popovertarget=${REACTION_MENU_ID}
          popovertargetaction="hide"
          @click=${() => view.onReact(emoji)}
        >
          ${emoji}
        </button>`,
    ),
  });
}

function renderDeviceMenu(view: ControlsView): TemplateResult {
  const { strings } = view;
  return renderPopoverButton({
    id: DEVICE_MENU_ID,
    label: strings.devices,
    popoverLabel: strings.devices,
    icon: settingsIcon,
    action: 'devices',
    role: 'dialog',
    content: renderDevicePickers(view.devices),
  });
}

/** The bar of call controls: microphone, camera, chat, layout, devices, full screen, leave. */
export function renderControls(view: ControlsView): TemplateResult {
  const { strings } = view;
  return html`<div part="controls" class="controls" role="toolbar" aria-label=${strings.controls}>
    ${renderToggle({
      isOn: view.hasAudio,
      labels: [strings.unmuteMicrophone, strings.muteMicrophone],
      icons: [micOffIcon, micIcon],
      action: 'microphone',
      onClick: view.onToggleMicrophone,
    })}
    ${renderToggle({
      isOn: view.hasVideo,
      labels: [strings.cameraOn, strings.cameraOff],
      icons: [cameraOffIcon, cameraIcon],
      action: 'camera',
      onClick: view.onToggleCamera,
    })}
    ${renderIconButton({
      label: view.isHandRaised ? strings.lowerHand : strings.raiseHand,
      icon: html`<span aria-hidden="true">✋</span>`,
      action: 'hand',
      isPressed: view.isHandRaised,
      onClick: view.onToggleHand,
    })}
    ${renderReactionMenu(view)} ${view.hasChat ? renderChatToggle(view) : nothing}
    ${renderLayoutMenu(view)}
    ${
      view.canShareScreen
        ? renderIconButton({
            label: view.isSharingScreen ? strings.stopScreenShare : strings.startScreenShare,
            icon: screenShareIcon,
            action: 'screen',
            className: view.isSharingScreen ? 'sharing' : undefined,
            onClick: view.onToggleScreenShare,
          })
        : nothing
    }
    ${renderDeviceMenu(view)}
    ${renderIconButton({
      label: view.isFullscreen ? strings.exitFullscreen : strings.fullscreen,
      icon: view.isFullscreen ? exitFullscreenIcon : fullscreenIcon,
      action: 'fullscreen',
      onClick: view.onToggleFullscreen,
    })}
    ${renderIconButton({
      label: strings.leave,
      icon: leaveIcon,
      action: 'leave',
      className: 'danger',
      onClick: view.onLeave,
    })}
  </div>`;
}
