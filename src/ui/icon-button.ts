import { html, nothing, type TemplateResult } from 'lit';

export interface IconButton {
  /** What a press does, for screen readers and as a tooltip. */
  label: string;
  icon: TemplateResult;
  /** A stable hook for tests and host-page scripts (`data-action`). */
  action: string;
  onClick: () => void;
  className?: string;
  /** For a toggle: whether it is pressed. */
  isPressed?: boolean;
}

/** A button that shows only an icon and says what it does in its accessible name. */
export function renderIconButton(button: IconButton): TemplateResult {
  return html`<button
    part="button"
    type="button"
    class=${button.className ?? nothing}
    aria-pressed=${button.isPressed === undefined ? nothing : String(button.isPressed)}
    aria-label=${button.label}
    title=${button.label}
    data-action=${button.action}
    @click=${button.onClick}
  >
    ${button.icon}
  </button>`;
}
