import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { customElement, property, query, state } from '../../src/decorators.js';

@customElement('decorated-test-element')
class DecoratedTestElement extends LitElement {
  @property({ attribute: 'room-id', reflect: true }) roomId = '';
  @property({ type: Number }) count = 0;
  @state() private shown = 'first';
  @query('p') paragraph!: HTMLParagraphElement | null;

  show(text: string): void {
    this.shown = text;
  }

  override render() {
    return html`<p>${this.roomId}:${this.count}:${this.shown}</p>`;
  }
}

describe('decorators', () => {
  it('defines the element, and its properties follow and reflect their attributes', async () => {
    expect(customElements.get('decorated-test-element')).to.equal(DecoratedTestElement);
    const el = await fixture<DecoratedTestElement>(
      html`<decorated-test-element room-id="abc" count="3"></decorated-test-element>`,
    );
    expect([el.roomId, el.count]).to.deep.equal(['abc', 3]);
    el.roomId = 'xyz';
    await el.updateComplete;
    expect(el.getAttribute('room-id')).to.equal('xyz');
    expect(el.paragraph?.textContent).to.equal('xyz:3:first');
  });

  it('renders again when state changes, which has no attribute', async () => {
    const el = await fixture<DecoratedTestElement>(
      html`<decorated-test-element></decorated-test-element>`,
    );
    expect(DecoratedTestElement.observedAttributes).to.have.members(['room-id', 'count']);
    el.show('second');
    await el.updateComplete;
    expect(el.paragraph?.textContent).to.equal(':0:second');
  });

  it('queries the render root, null before anything is rendered there', () => {
    const el = document.createElement('decorated-test-element') as DecoratedTestElement;
    expect(el.paragraph).to.equal(null);
  });
});
