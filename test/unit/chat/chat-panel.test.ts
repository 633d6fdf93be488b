import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ChatMessage } from '../../../src/chat/chat-room.js';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import '../../../src/ui/chat-panel.js';
import { CHAT_PANEL_STRINGS } from '../../../src/ui/chat-panel.strings.js';
import type { RtcChatPanel } from '../../../src/ui/chat-panel.js';
import { EMOJI } from '../../../src/ui/emoji-list.js';
import { EMOJI_COLUMNS, emojiIndexAfter } from '../../../src/ui/emoji.js';
import { canvasImage, pngLike, SVG_TEXT } from './support/images.js';

const AT = Date.UTC(2024, 0, 2, 3, 4, 5);
let counter = 0;

function text(value: string, fields: Partial<ChatMessage> = {}): ChatMessage {
  counter++;
  return {
    id: `message-${counter}`,
    senderId: 'room-1_aaaa',
    senderName: 'Ada',
    isOwn: false,
    isHistory: false,
    sentAt: AT,
    kind: 'text',
    text: value,
    delivery: 'sent',
    ...fields,
  };
}

function picture(fields: Partial<NonNullable<ChatMessage['picture']>>, own = false): ChatMessage {
  return text('', {
    kind: 'picture',
    text: undefined,
    isOwn: own,
    picture: { type: 'image/png', size: 100, url: null, progress: 0, ...fields },
  });
}

async function panel(messages: ChatMessage[] = [], maxImageBytes?: number): Promise<RtcChatPanel> {
  return fixture<RtcChatPanel>(
    html`<rtc-chat-panel
      style="height: 300px; display: flex"
      .messages=${messages}
      .maxImageBytes=${maxImageBytes ?? 8 * 1024 * 1024}
    ></rtc-chat-panel>`,
  );
}

const $ = <T extends Element>(el: RtcChatPanel, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector)!;
const $$ = (el: RtcChatPanel, selector: string) => [...el.shadowRoot!.querySelectorAll(selector)];

function type(el: RtcChatPanel, value: string): HTMLTextAreaElement {
  const input = $<HTMLTextAreaElement>(el, 'textarea');
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  return input;
}

/** Opens the emoji picker, whose list loads on first use, and waits for its focused option. */
async function openPicker(el: RtcChatPanel): Promise<HTMLElement> {
  $<HTMLButtonElement>(el, '.emoji-toggle').click();
  await waitUntil(() => el.shadowRoot!.activeElement?.getAttribute('role') === 'option');
  return $<HTMLElement>(el, '[part="emoji-picker"]');
}

function press(target: Element, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', {
    key,
    bubbles: true,
    composed: true,
    cancelable: true,
    ...init,
  });
  target.dispatchEvent(event);
  return event;
}

/** Counts the send events the panel dispatches. */
function countSends(el: RtcChatPanel) {
  const sent: string[] = [];
  el.addEventListener('chat-send-text', (e) => sent.push(e.detail.text));
  return sent;
}

function filesOf(...files: File[]): DataTransfer {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  return transfer;
}

function choose(el: RtcChatPanel, file: File): void {
  const input = $<HTMLInputElement>(el, 'input[type="file"]');
  input.files = filesOf(file).files;
  input.dispatchEvent(new Event('change'));
}

describe('rtc-chat-panel', () => {
  describe('messages', () => {
    it('shows markup and script in a message as text', async () => {
      const el = await panel([text('<script>window.hacked = 1</script><b>bold</b><img src=x>')]);
      const body = $(el, '[part="text"]');
      expect(body.textContent).to.equal('<script>window.hacked = 1</script><b>bold</b><img src=x>');
      expect(body.querySelector('script, b, img')).to.equal(null);
      expect((window as { hacked?: number }).hacked).to.equal(undefined);
    });

    it('shows the sender’s name and time, and marks own messages', async () => {
      const el = await panel([text('theirs'), text('mine', { isOwn: true, senderName: 'Bo' })]);
      const [theirs, mine] = $$(el, '[part~="message"]');
      expect(theirs.getAttribute('part')).to.equal('message');
      expect(mine.getAttribute('part')).to.equal('message message-own');
      expect(theirs.querySelector('[part="sender"]')?.textContent).to.equal('Ada');
      expect(mine.querySelector('[part="sender"]')?.textContent).to.equal('Bo (you)');
      const time = theirs.querySelector('time')!;
      expect(time.getAttribute('datetime')).to.equal(new Date(AT).toISOString());
      expect(time.textContent?.trim()).to.equal(CHAT_PANEL_STRINGS.en.time(AT));
    });

    it('names a sender without a name as a guest', async () => {
      const el = await panel([text('hi', { senderName: '' })]);
      expect($(el, '[part="sender"]').textContent).to.equal('Guest');
    });

    it('makes http and https addresses links that open safely in a new tab', async () => {
      const el = await panel([
        text('see https://example.com/a. or javascript:alert(1) or http://x.example'),
      ]);
      const links = $$(el, 'a') as HTMLAnchorElement[];
      expect(links.map((a) => a.href)).to.deep.equal([
        'https://example.com/a',
        'http://x.example/',
      ]);
      for (const link of links) {
        expect(link.rel).to.equal('noopener noreferrer');
        expect(link.target).to.equal('_blank');
      }
      expect($(el, '[part="text"]').textContent).to.contain('javascript:alert(1)');
    });

    it('speaks Chinese when given the zh-CN strings', async () => {
      const el = await panel([text('你好', { isOwn: true })]);
      el.strings = LANGUAGES['zh-CN'].chat;
      await el.updateComplete;
      expect($(el, '[part="sender"]').textContent).to.equal('Ada (你)');
      expect($(el, 'textarea').getAttribute('placeholder')).to.equal(
        CHAT_PANEL_STRINGS['zh-CN'].placeholder,
      );
      expect($(el, '[role="log"]').getAttribute('aria-label')).to.equal('消息');
    });

    it('shows a thumbnail that opens the picture full size', async () => {
      const url = URL.createObjectURL(await canvasImage('image/png'));
      const el = await panel([picture({ url, progress: 1 })]);
      const thumb = $<HTMLButtonElement>(el, 'button[part="picture"]');
      expect(thumb.getAttribute('aria-label')).to.equal('Open the picture from Ada full size');
      thumb.click();
      await el.updateComplete;
      const dialog = $<HTMLDialogElement>(el, 'dialog');
      expect(dialog.open).to.equal(true);
      expect(dialog.querySelector('img')?.getAttribute('src')).to.equal(url);
      dialog.querySelector('button')!.click();
      await waitUntil(() => !dialog.open);
      URL.revokeObjectURL(url);
    });

    it('shows progress while a picture is on its way, and why one failed', async () => {
      const el = await panel([picture({ progress: 0.42 }), picture({ failed: 'not-an-image' })]);
      const progress = $<HTMLProgressElement>(el, 'progress');
      expect(progress.value).to.equal(42);
      expect(progress.getAttribute('aria-label')).to.equal('Receiving, 42%');
      expect($(el, '[part="picture-status"]').textContent?.trim()).to.equal(
        CHAT_PANEL_STRINGS.en.pictureFailed['not-an-image'],
      );
    });

    it('never puts a URL other than an object URL in an image', async () => {
      const el = await panel([picture({ url: 'javascript:alert(1)', progress: 1 })]);
      expect($$(el, 'img')).to.have.length(0);
    });

    it('stays at the bottom as messages arrive, unless the visitor scrolled up', async () => {
      const many = Array.from({ length: 40 }, (_, i) => text(`line ${i}`));
      const el = await panel(many);
      const log = $<HTMLElement>(el, '[role="log"]');
      const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight <= 24;
      expect(log.scrollHeight).to.be.above(log.clientHeight);
      expect(atBottom()).to.equal(true);
      el.messages = [...many, text('new one')];
      await el.updateComplete;
      expect(atBottom()).to.equal(true);
      log.scrollTop = 0;
      log.dispatchEvent(new Event('scroll'));
      el.messages = [...el.messages, text('another')];
      await el.updateComplete;
      expect(log.scrollTop).to.equal(0);
    });
  });

  describe('sending text', () => {
    it('sends on Enter and empties the field', async () => {
      const el = await panel();
      const input = type(el, '  hello there ');
      setTimeout(() => press(input, 'Enter'));
      const { detail } = await oneEvent(el, 'chat-send-text');
      expect(detail.text).to.equal('hello there');
      await el.updateComplete;
      expect(input.value).to.equal('');
    });

    it('gives the text back to the field when the room refuses the send', async () => {
      const el = await panel();
      el.addEventListener('chat-send-text', (event) =>
        event.detail.waitUntil(Promise.reject(new Error('chat-rate-limited'))),
      );
      const input = type(el, 'too fast');
      press(input, 'Enter');
      await waitUntil(() => input.value === 'too fast', 'the draft comes back');
    });

    it('keeps what the visitor typed after a refused send instead of the old text', async () => {
      const el = await panel();
      let refuse: (reason: Error) => void = () => undefined;
      el.addEventListener('chat-send-text', (event) =>
        event.detail.waitUntil(new Promise((_, reject) => (refuse = reject))),
      );
      const input = type(el, 'first');
      press(input, 'Enter');
      await el.updateComplete;
      type(el, 'second');
      refuse(new Error('chat-rate-limited'));
      await aTimeout(0);
      await el.updateComplete;
      expect(input.value).to.equal('second');
    });

    it('keeps the field empty once the room accepts the send', async () => {
      const el = await panel();
      el.addEventListener('chat-send-text', (event) => event.detail.waitUntil(Promise.resolve()));
      const input = type(el, 'accepted');
      press(input, 'Enter');
      await aTimeout(0);
      await el.updateComplete;
      expect(input.value).to.equal('');
    });

    it('sends with the send button', async () => {
      const el = await panel();
      type(el, 'by button');
      setTimeout(() => $<HTMLButtonElement>(el, 'button.send').click());
      const { detail } = await oneEvent(el, 'chat-send-text');
      expect(detail.text).to.equal('by button');
    });

    it('lets the send event cross shadow roots', async () => {
      const el = await panel();
      const input = type(el, 'out');
      setTimeout(() => press(input, 'Enter'));
      const event = await oneEvent(el, 'chat-send-text');
      expect(event.bubbles && event.composed).to.equal(true);
    });

    it('does not send on Shift+Enter (a new line)', async () => {
      const el = await panel();
      const sent = countSends(el);
      const input = type(el, 'line one');
      const event = press(input, 'Enter', { shiftKey: true });
      await aTimeout(10);
      expect(sent).to.deep.equal([]);
      expect(event.defaultPrevented).to.equal(false);
      expect(input.value).to.equal('line one');
    });

    it('does not send on the Enter that ends an IME composition', async () => {
      const el = await panel();
      const sent = countSends(el);
      const input = type(el, 'nihao');
      press(input, 'Enter', { isComposing: true });
      const legacy = new KeyboardEvent('keydown', {
        key: 'Enter',
        bubbles: true,
        cancelable: true,
      });
      Object.defineProperty(legacy, 'keyCode', { value: 229 });
      input.dispatchEvent(legacy);
      await aTimeout(10);
      expect(sent).to.deep.equal([]);
      expect(input.value).to.equal('nihao');
    });

    it('does not send blank text', async () => {
      const el = await panel();
      const sent = countSends(el);
      press(type(el, ' \n '), 'Enter');
      await aTimeout(10);
      expect(sent).to.deep.equal([]);
    });

    it('does not send while disabled', async () => {
      const el = await panel();
      el.disabled = true;
      await el.updateComplete;
      const sent = countSends(el);
      press(type(el, 'hi'), 'Enter');
      await aTimeout(10);
      expect(sent).to.deep.equal([]);
      expect($<HTMLTextAreaElement>(el, 'textarea').disabled).to.equal(true);
    });
  });

  describe('emoji picker', () => {
    it('moves in a grid with the arrow keys', () => {
      const count = EMOJI.length;
      expect(emojiIndexAfter(0, 'ArrowRight', count)).to.equal(1);
      expect(emojiIndexAfter(0, 'ArrowLeft', count)).to.equal(0);
      expect(emojiIndexAfter(1, 'ArrowDown', count)).to.equal(1 + EMOJI_COLUMNS);
      expect(emojiIndexAfter(1, 'ArrowUp', count)).to.equal(1);
      expect(emojiIndexAfter(count - 1, 'ArrowDown', count)).to.equal(count - 1);
      expect(emojiIndexAfter(5, 'End', count)).to.equal(count - 1);
      expect(emojiIndexAfter(5, 'Home', count)).to.equal(0);
      expect(emojiIndexAfter(5, 'a', count)).to.equal(null);
    });

    it('inserts an emoji at the caret, by keyboard alone', async () => {
      const el = await panel();
      const input = type(el, 'ab');
      input.setSelectionRange(1, 1);
      const toggle = $<HTMLButtonElement>(el, '.emoji-toggle');
      const picker = await openPicker(el);
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect(el.shadowRoot!.activeElement?.getAttribute('data-index')).to.equal('0');
      press(el.shadowRoot!.activeElement!, 'ArrowRight');
      await el.updateComplete;
      press(el.shadowRoot!.activeElement!, 'ArrowDown');
      await el.updateComplete;
      const active = el.shadowRoot!.activeElement!;
      expect(active.getAttribute('data-index')).to.equal(String(1 + EMOJI_COLUMNS));
      expect(active.getAttribute('aria-selected')).to.equal('true');
      expect(active.getAttribute('tabindex')).to.equal('0');
      expect(picker.querySelectorAll('[tabindex="0"]')).to.have.length(1);
      press(active, 'Enter');
      await el.updateComplete;
      expect(input.value).to.equal(`a${EMOJI[1 + EMOJI_COLUMNS].char}b`);
      expect($(el, '[part="emoji-picker"]')).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(input);
    });

    it('closes on Escape and gives focus back to its button', async () => {
      const el = await panel();
      const toggle = $<HTMLButtonElement>(el, '.emoji-toggle');
      await openPicker(el);
      press(el.shadowRoot!.activeElement!, 'Escape');
      await el.updateComplete;
      expect($(el, '[part="emoji-picker"]')).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(toggle);
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    });

    it('names its emoji in the visitor’s language', async () => {
      const el = await panel();
      el.strings = LANGUAGES['zh-CN'].chat;
      await openPicker(el);
      expect($(el, '[role="option"]').getAttribute('aria-label')).to.equal(EMOJI[0].names['zh-CN']);
      expect($(el, '[role="listbox"]').getAttribute('aria-label')).to.equal('表情');
    });
  });

  describe('pictures', () => {
    it('sends a chosen picture, whatever its name says', async () => {
      const el = await panel();
      const file = new File([await canvasImage('image/png')], 'notes.txt', { type: 'text/plain' });
      setTimeout(() => choose(el, file));
      const { detail } = await oneEvent(el, 'chat-send-image');
      expect(detail.file).to.equal(file);
    });

    it('refuses an SVG with a clear message, and sends nothing', async () => {
      const el = await panel();
      let sent = 0;
      el.addEventListener('chat-send-image', () => sent++);
      choose(el, new File([SVG_TEXT], 'cat.svg', { type: 'image/svg+xml' }));
      const refusal = $(el, '[part="refusal"]');
      await waitUntil(() => refusal.textContent);
      expect(refusal.textContent).to.equal(LANGUAGES.en.chat.refusedNotImage);
      expect(refusal.getAttribute('role')).to.equal('alert');
      expect(sent).to.equal(0);
    });

    it('refuses a picture over the limit with the limit in the message', async () => {
      const el = await panel([], 2 * 1024 * 1024);
      let sent = 0;
      el.addEventListener('chat-send-image', () => sent++);
      choose(el, new File([await pngLike(2 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' }));
      const refusal = $(el, '[part="refusal"]');
      await waitUntil(() => refusal.textContent);
      expect(refusal.textContent).to.equal('That picture is too large: at most 2 MB.');
      expect(sent).to.equal(0);
    });

    it('takes a pasted picture, and leaves pasted text alone', async () => {
      const el = await panel();
      const input = $<HTMLTextAreaElement>(el, 'textarea');
      const file = new File([await canvasImage('image/webp')], 'clip.png', { type: 'image/png' });
      const paste = new ClipboardEvent('paste', {
        clipboardData: filesOf(file),
        bubbles: true,
        cancelable: true,
      });
      setTimeout(() => input.dispatchEvent(paste));
      const { detail } = await oneEvent(el, 'chat-send-image');
      expect(detail.file).to.equal(file);
      expect(paste.defaultPrevented).to.equal(true);
      const textOnly = new DataTransfer();
      textOnly.setData('text/plain', 'words');
      const textPaste = new ClipboardEvent('paste', {
        clipboardData: textOnly,
        bubbles: true,
        cancelable: true,
      });
      input.dispatchEvent(textPaste);
      expect(textPaste.defaultPrevented).to.equal(false);
    });

    it('takes a dropped picture and refuses a dropped HTML file', async () => {
      const el = await panel();
      const target = $(el, '[role="log"]');
      const drop = (file: File) =>
        target.dispatchEvent(
          new DragEvent('drop', {
            dataTransfer: filesOf(file),
            bubbles: true,
            composed: true,
            cancelable: true,
          }),
        );
      const jpeg = new File([await canvasImage('image/jpeg')], 'photo.jpg');
      setTimeout(() => drop(jpeg));
      const { detail } = await oneEvent(el, 'chat-send-image');
      expect(detail.file).to.equal(jpeg);
      drop(new File(['<html></html>'], 'page.jpg', { type: 'image/jpeg' }));
      await waitUntil(() => $(el, '[part="refusal"]').textContent);
      expect($(el, '[part="refusal"]').textContent).to.equal(LANGUAGES.en.chat.refusedNotImage);
    });
  });

  describe('accessibility', () => {
    it('is a polite log with labelled controls', async () => {
      const el = await panel([text('hi')]);
      const log = $(el, '[part="messages"]');
      expect(log.getAttribute('role')).to.equal('log');
      expect(log.getAttribute('aria-live')).to.equal('polite');
      const input = $<HTMLTextAreaElement>(el, 'textarea');
      expect(input.labels?.[0]?.textContent).to.equal('Message');
      for (const button of $$(el, '.composer button')) {
        expect(button.getAttribute('aria-label')).to.be.a('string').and.have.length.above(0);
      }
    });

    it('passes axe with every kind of message', async () => {
      const url = URL.createObjectURL(await canvasImage('image/png'));
      const el = await panel([
        text('plain https://example.com'),
        text('mine', { isOwn: true }),
        text('from before', { isHistory: true }),
        picture({ url, progress: 1 }),
        picture({ url, progress: 0.5 }, true),
        picture({ progress: 0.3 }),
        picture({ failed: 'unavailable' }),
      ]);
      await expect(el).to.be.accessible();
      URL.revokeObjectURL(url);
    });

    it('passes axe when empty, and with the emoji picker open', async () => {
      const el = await panel();
      await expect(el).to.be.accessible();
      await openPicker(el);
      await expect(el).to.be.accessible();
    });

    it('passes axe with a refusal shown', async () => {
      const el = await panel();
      choose(el, new File([SVG_TEXT], 'cat.svg'));
      await waitUntil(() => $(el, '[part="refusal"]').textContent);
      await expect(el).to.be.accessible();
    });
  });
});
