import type { ReactiveControllerHost } from 'lit';
import { loadTransfers, type TransfersModule } from '../chat/transfer-gate.js';
import { loadErrorStrings, type Strings } from '../i18n/strings.js';
import { MAX_IMAGE_BYTES } from '../protocol/chat-messages.js';

export interface PictureIntakeOptions {
  /** Largest picture accepted, in bytes (never above the protocol's limit). */
  maxBytes: () => number;
  /** Whether sending is off: nothing is taken. */
  isDisabled: () => boolean;
  /** Sends a picture that passed the checks. */
  send: (file: File) => void;
  /**
   * Offers any other file (or a picture too large to be one) as a file; without it, or while
   * `takesFiles` says no, only pictures are taken.
   */
  sendFile?: (file: File) => void;
  takesFiles?: () => boolean;
  /** Largest file offered, in bytes, as the page set it (0: the protocol's). */
  maxFileSize?: () => number;
  /** Why a file was refused for its size. */
  fileTooLarge?: (maxBytes: number) => string;
  /** The chat's sentences in the visitor's language. */
  strings: () => Strings['chat'];
  /** Loads the transfers chunk, whose checks these are (default its `import()`). */
  loadTransfers?: () => Promise<TransfersModule>;
}

/**
 * Pictures and files the visitor offers, chosen, pasted or dropped: each file's size and first
 * bytes are checked (by the transfers chunk, loaded with the first offer); pictures that pass are
 * sent as pictures (shown inline), other files are offered as files (when `sendFile` is given),
 * and the first that fails says why (`refusal`).
 */
export class PictureIntakeController {
  /** Why the last offered file was refused, or ''. */
  refusal = '';

  /** Largest file offered, in bytes: the page's limit under the protocol's, once checks loaded. */
  maxFileBytes = 0;

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
    // A refusal's words load with the error texts.
    await loadErrorStrings();
    if (!transfers) {
      // Nothing can be sent until the chunk loads; the next offer tries again.
      this.refuse(this.options.strings().refusedUnavailable);
      return;
    }
    const { maxFileSize, fileTooLarge, takesFiles } = this.options;
    const sendFile = (takesFiles?.() ?? true) ? this.options.sendFile : undefined;
    const wanted = maxFileSize?.() ?? 0;
    const maxFile =
      wanted > 0 ? Math.min(wanted, transfers.MAX_FILE_BYTES) : transfers.MAX_FILE_BYTES;
    this.maxFileBytes = maxFile;
    for (const file of files) {
      const check = await transfers.checkImage(file, maxBytes);
      if (check.ok) {
        this.options.send(file);
      } else if (sendFile && file.size <= maxFile) {
        sendFile(file);
      } else if (!this.refusal) {
        const strings = this.options.strings();
        this.refuse(
          sendFile && fileTooLarge
            ? fileTooLarge(maxFile)
            : check.refusal === 'too-large'
              ? strings.refusedTooLarge(maxBytes)
              : strings.refusedNotImage,
        );
      }
    }
  }

  /** Shows why a file was refused (also for a send that was refused later). */
  refuse(refusal: string): void {
    this.refusal = refusal;
    this.host.requestUpdate();
  }
}
