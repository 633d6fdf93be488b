import { expect, waitUntil } from '@open-wc/testing';
import type { TransfersModule } from '../../../src/chat/transfer-gate.js';
import * as transfersChunk from '../../../src/chat/transfers.js';
import { PictureIntakeController } from '../../../src/controllers/picture-intake-controller.js';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import { pngLike } from '../chat/support/images.js';
import { FakeHost, settle } from './fake-host.js';

const chat = LANGUAGES.en.chat;

function setUp({
  maxBytes = 1024,
  isDisabled = false,
  loadTransfers = undefined as (() => Promise<TransfersModule>) | undefined,
} = {}) {
  const host = new FakeHost();
  const sent: File[] = [];
  const intake = new PictureIntakeController(host, {
    maxBytes: () => maxBytes,
    isDisabled: () => isDisabled,
    send: (file) => sent.push(file),
    strings: () => chat,
    loadTransfers,
  });
  return { host, sent, intake };
}

async function png(name: string, size: number): Promise<File> {
  return new File([await pngLike(size)], name, { type: 'image/png' });
}

/** A paste of `files`, as the text field would receive it. */
function paste(files: File[]): ClipboardEvent {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  return new ClipboardEvent('paste', { clipboardData: data, cancelable: true });
}

describe('PictureIntakeController', () => {
  it('sends the pictures that pass and says why the first other was refused', async () => {
    const { sent, intake } = setUp();
    const fine = await png('fine.png', 100);
    const large = await png('large.png', 4096);
    const text = new File(['hello'], 'note.png', { type: 'image/png' });
    const event = paste([fine, large, text]);
    intake.handlePaste(event);
    await waitUntil(() => sent.length > 0 && intake.refusal, 'the files are checked');
    expect(event.defaultPrevented).to.equal(true);
    expect(sent.map((file) => file.name)).to.deep.equal(['fine.png']);
    expect(intake.refusal).to.equal(chat.refusedTooLarge(1024));
    intake.clearRefusal();
    expect(intake.refusal).to.equal('');
  });

  it('says a picture cannot go when its checks fail to load, and loads them again next time', async () => {
    let loads = 0;
    const { sent, intake } = setUp({
      loadTransfers: () =>
        ++loads === 1 ? Promise.reject(new TypeError('offline')) : Promise.resolve(transfersChunk),
    });
    const fine = await png('fine.png', 100);
    intake.handlePaste(paste([fine]));
    await waitUntil(() => intake.refusal, 'the load fails');
    expect(intake.refusal).to.equal(chat.refusedUnavailable);
    expect(sent).to.deep.equal([]);
    intake.handlePaste(paste([fine]));
    await waitUntil(() => sent.length > 0, 'the file is checked');
    expect(loads).to.equal(2);
    expect(intake.refusal).to.equal('');
  });

  it('says a file that is no picture is refused as one', async () => {
    const { sent, intake } = setUp();
    intake.handlePaste(paste([new File(['hello'], 'note.png', { type: 'image/png' })]));
    await waitUntil(() => intake.refusal, 'the file is checked');
    expect(sent).to.deep.equal([]);
    expect(intake.refusal).to.equal(chat.refusedNotImage);
  });

  it('leaves a paste of text to the text field', () => {
    const { intake } = setUp();
    const event = paste([]);
    intake.handlePaste(event);
    expect(event.defaultPrevented).to.equal(false);
  });

  it('takes nothing while sending is off', async () => {
    const { sent, intake } = setUp({ isDisabled: true });
    intake.handlePaste(paste([await png('fine.png', 100)]));
    await settle();
    expect(sent).to.deep.equal([]);
    const over = new DragEvent('dragover', { dataTransfer: new DataTransfer(), cancelable: true });
    intake.handleDragOver(over);
    expect(over.defaultPrevented).to.equal(false);
  });
});
