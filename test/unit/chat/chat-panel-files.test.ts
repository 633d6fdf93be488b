import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ChatFile, ChatMessage } from '../../../src/chat/chat-room.js';
import type { ChatFileActions, RtcChatPanel } from '../../../src/ui/chat-panel.js';
import '../../../src/ui/chat-panel.js';

const AT = Date.UTC(2026, 0, 2, 10, 30);

function fileMessage(fields: Partial<ChatFile>, own = false): ChatMessage {
  return {
    id: 'file-0001',
    senderId: own ? 'room-1_self' : 'room-1_peer',
    senderName: 'Ada',
    isOwn: own,
    isHistory: false,
    sentAt: AT,
    kind: 'file',
    file: {
      name: 'report.pdf',
      size: 1536 * 1024,
      type: 'application/pdf',
      sha256: 'a'.repeat(64),
      state: 'offered',
      progress: 0,
      url: null,
      ...fields,
    },
    delivery: 'sent',
  };
}

/** The element's file methods, recording their calls. */
function actions(maxFileSize = 0): ChatFileActions & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    maxFileSize,
    sendFile: async (file) => void calls.push(`send ${(file as File).name}`),
    downloadFile: async (id) => void calls.push(`download ${id}`),
    cancelFile: async (id) => void calls.push(`cancel ${id}`),
  };
}

async function panel(messages: ChatMessage[], files = actions()): Promise<RtcChatPanel> {
  return fixture<RtcChatPanel>(
    html`<rtc-chat-panel .messages=${messages} .files=${files}></rtc-chat-panel>`,
  );
}

const $ = <T extends Element>(el: RtcChatPanel, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);

function choose(el: RtcChatPanel, file: File): void {
  const input = $<HTMLInputElement>(el, 'input[type="file"]')!;
  const data = new DataTransfer();
  data.items.add(file);
  input.files = data.files;
  input.dispatchEvent(new Event('change'));
}

describe('rtc-chat-panel files', () => {
  it('shows an offered file’s name, size and type, and downloads it on one click', async () => {
    const files = actions();
    const el = await panel([fileMessage({})], files);
    expect($(el, '[part="file-name"]')!.textContent).to.equal('report.pdf');
    expect($(el, '.file-meta')!.textContent).to.contain('1.5 MB').and.contain('application/pdf');
    const button = $<HTMLButtonElement>(el, '[part="file"] button')!;
    expect(button.getAttribute('aria-label')).to.equal('Download report.pdf');
    button.click();
    expect(files.calls).to.deep.equal(['download file-0001']);
    await expect(el).to.be.accessible();
  });

  it('shows the progress of a download and stops it', async () => {
    const files = actions();
    const el = await panel([fileMessage({ state: 'receiving', progress: 0.42 })], files);
    expect($<HTMLProgressElement>(el, '[part="file"] progress')!.value).to.equal(42);
    $<HTMLButtonElement>(el, '[part="file"] button')!.click();
    expect(files.calls).to.deep.equal(['cancel file-0001']);
  });

  it('offers to save a checked file under its name', async () => {
    const url = URL.createObjectURL(new Blob(['x']));
    const el = await panel([fileMessage({ state: 'done', progress: 1, url })]);
    const link = $<HTMLAnchorElement>(el, '[part="file"] a')!;
    expect(link.getAttribute('download')).to.equal('report.pdf');
    expect(link.href).to.equal(url);
  });

  it('never links a URL a page did not make', async () => {
    const el = await panel([fileMessage({ state: 'done', url: 'javascript:alert(1)' })]);
    expect($(el, '[part="file"] a')).to.equal(null);
  });

  it('says why a download failed, and offers another try', async () => {
    const files = actions();
    const el = await panel([fileMessage({ state: 'failed', failure: 'corrupt' })], files);
    expect($(el, '[part="file-status"]')!.textContent).to.contain('checksum');
    $<HTMLButtonElement>(el, '[part="file"] button')!.click();
    expect(files.calls).to.deep.equal(['download file-0001']);
  });

  it('says when the sender is gone, and on its own file that it is offered', async () => {
    const el = await panel([
      fileMessage({ state: 'unavailable' }),
      { ...fileMessage({}, true), id: 'file-0002' },
    ]);
    const statuses = [...el.shadowRoot!.querySelectorAll('[part="file-status"]')];
    expect(statuses.map((s) => s.textContent?.trim())).to.deep.equal([
      'Its sender is not in the room: it cannot be downloaded.',
      'Offered to the room: each person downloads it from you while you are here.',
    ]);
  });

  it('shows a hostile name as text, never as HTML', async () => {
    const el = await panel([fileMessage({ name: '<img src=x onerror=alert(1)>.txt' })]);
    expect($(el, '[part="file-name"]')!.textContent).to.equal('<img src=x onerror=alert(1)>.txt');
    expect($(el, '[part="file"] img')).to.equal(null);
  });

  it('sends a chosen file that is not a picture as a file', async () => {
    const files = actions();
    const el = await panel([], files);
    expect($(el, 'input[type="file"]')!.hasAttribute('accept')).to.equal(false);
    choose(el, new File(['%PDF-1.7'], 'notes.pdf', { type: 'application/pdf' }));
    await waitUntil(() => files.calls.length > 0, 'the file is sent');
    expect(files.calls).to.deep.equal(['send notes.pdf']);
  });

  it('refuses a file over the page’s max-file-size with the limit in the message', async () => {
    const files = actions(1024);
    const el = await panel([], files);
    choose(el, new File([new Uint8Array(2048)], 'big.bin'));
    const refusal = $(el, '[part="refusal"]')!;
    await waitUntil(() => refusal.textContent, 'the refusal shows');
    expect(refusal.textContent).to.equal('That file is too large: at most 1 kB.');
    expect(files.calls).to.deep.equal([]);
  });
});
