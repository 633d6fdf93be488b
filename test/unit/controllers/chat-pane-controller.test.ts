import { expect } from '@open-wc/testing';
import { ChatPaneController } from '../../../src/controllers/chat-pane-controller.js';
import { FakeHost } from './fake-host.js';

describe('ChatPaneController', () => {
  it('loads the panel on first opening, and marks the chat read after each render while open', async () => {
    const host = new FakeHost();
    let reads = 0;
    const pane = new ChatPaneController(host, { markRead: () => reads++ });
    host.updated();
    expect(reads, 'closed').to.equal(0);
    await pane.toggle();
    expect(pane.isOpen).to.equal(true);
    expect(customElements.get('rtc-chat-panel'), 'the panel is defined').to.not.equal(undefined);
    host.updated();
    host.updated();
    expect(reads).to.equal(2);
    await pane.toggle();
    expect(pane.isOpen).to.equal(false);
    host.updated();
    expect(reads).to.equal(2);
    expect(host.updates).to.equal(2);
  });

  it('gives the focus back to the chat button when closed', async () => {
    const host = new FakeHost();
    document.body.append(host.renderRoot);
    try {
      const button = document.createElement('button');
      button.dataset.action = 'chat';
      host.renderRoot.append(button);
      const pane = new ChatPaneController(host, { markRead: () => undefined });
      await pane.toggle();
      await pane.close();
      expect(pane.isOpen).to.equal(false);
      expect(document.activeElement).to.equal(button);
    } finally {
      host.renderRoot.remove();
    }
  });
});
