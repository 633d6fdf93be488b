import type { ReactiveControllerHost } from 'lit';
import { loadTransfers, type TransfersModule } from '../chat/transfer-gate.js';
import type { Strings } from '../i18n/strings.js';
import { MAX_IMAGE_BYTES } from '../protocol/chat-messages.js';

export interface PictureIntakeOptions {
  /** Largest picture accepted, in bytes (never above the protocol's limit). */
  maxBytes: () => number;
  /** Whether sending is off: nothing is taken. */
  isDisabled: () => boolean;
  /** Sends a picture that passed the checks. */
  send: (file: File) => void;
  /** The chat's sentences in the visitor's language. */
  strings: () => Strings['chat'];
  /** Loads the transfers chunk, whose checks these are (default its `import()`). */
  loadTransfers?: () => Promise<TransfersModule>;
}

/**
 * Pictures the visitor offers, chosen, pasted or dropped: each file's size and first bytes are
 * checked (by the transfers chunk, loaded with the first offer); those that pass are sent, and
 * the first that fails says why (`refusal`).
 */
export class PictureIntakeController {
  /** Why the last offered file was refused, or ''. */
  refusal = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PictureIntakeOptions,
  ) {}

  /** Forgets the last refusal (the visitor moved on). */
  clearRefusal(): void {
    this.refusal = '';
    this.host.requestUpdate();
  }

  readonly handleFileChosen = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    void this.offer(files);
  };

  readonly handlePaste = (event: ClipboardEvent): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void this.offer(files);
  };

  readonly handleDragOver = (event: DragEvent): void => {
    if (this.options.isDisabled() || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };

  readonly handleDrop = (event: DragEvent): void => {
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void this.offer(files);
  };

  private async offer(files: File[]): Promise<void> {
    if (this.options.isDisabled()) return;
    this.clearRefusal();
    const maxBytes = Math.min(this.options.maxBytes(), MAX_IMAGE_BYTES);
    const transfers = await (this.options.loadTransfers ?? loadTransfers)().catch(() => null);
    if (!transfers) {
      // Nothing can be sent until the chunk loads; the next offer tries again.
      this.refuse(this.options.strings().refusedUnavailable);
      return;
    }
    for (const file of files) {
      const check = await transfers.checkImage(file, maxBytes);
      if (check.ok) {
        this.options.send(file);
      } else if (!this.refusal) {
        const strings = this.options.strings();
        this.refuse(
          check.refusal === 'too-large'
            ? strings.refusedTooLarge(maxBytes)
            : strings.refusedNotImage,
        );
      }
    }
  }

  private refuse(refusal: string): void {
    this.refusal = refusal;
    this.host.requestUpdate();
  }
}
