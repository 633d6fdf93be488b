import { html, nothing, type TemplateResult } from 'lit';
import { LAYOUTS, type Layout } from '../config.js';
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
function placeAboveButton(event: ToggleEvent): void {
  const menu = event.target as HTMLElement;
  const button = menu.previousElementSibling;
  if (event.newState !== 'open' || !button) return;
  const anchor = button.getBoundingClientRect();
  const left = anchor.left + anchor.width / 2 - menu.offsetWidth / 2;
  menu.style.left = `${Math.max(4, Math.min(left, innerWidth - menu.offsetWidth - 4))}px`;
  menu.style.top = `${Math.max(4, anchor.top - menu.offsetHeight - 6)}px`;
}

function renderLayoutMenu(view: ControlsView): TemplateResult {
  const { strings } = view;
  const label = `${strings.layout}: ${strings.layouts[view.layout]}`;
  return html`<button
      part="button layout-button"
      aria-label=${label}
      title=${label}
      aria-haspopup="menu"
      popovertarget=${LAYOUT_MENU_ID}
      data-action="layout"
    >
      ${layoutIcon}
    </button>
    <div
      part="layout-menu"
      class="layout-menu"
      id=${LAYOUT_MENU_ID}
      role="menu"
      aria-label=${strings.layout}
      popover
      @toggle=${placeAboveButton}
    >
      ${LAYOUTS.map(
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
      )}
    </div>`;
}

function renderDeviceMenu(view: ControlsView): TemplateResult {
  const { strings } = view;
  return html`<button
      part="button"
      type="button"
      aria-label=${strings.devices}
      title=${strings.devices}
      aria-haspopup="dialog"
      popovertarget=${DEVICE_MENU_ID}
      data-action="devices"
    >
      ${settingsIcon}
    </button>
    <div
      part="device-menu"
      class="device-menu"
      id=${DEVICE_MENU_ID}
      role="dialog"
      aria-label=${strings.devices}
      popover
      @toggle=${placeAboveButton}
    >
      ${renderDevicePickers(view.devices)}
    </div>`;
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
    ${view.hasChat ? renderChatToggle(view) : nothing} ${renderLayoutMenu(view)}
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
