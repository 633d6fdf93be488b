import { expect, fixture } from '@open-wc/testing';
import { html, render } from 'lit';
import { placement } from '../../../src/ui/placement.js';

describe('placement', () => {
  it('sets the four sides through the element’s style, and follows a new rect', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const at = (x: number, y: number, width: number, height: number) =>
      render(html`<div ${placement({ x, y, width, height })}></div>`, host);
    at(10, 20, 300, 200);
    const tile = host.firstElementChild as HTMLDivElement;
    expect([tile.style.left, tile.style.top, tile.style.width, tile.style.height]).to.deep.equal([
      '10px',
      '20px',
      '300px',
      '200px',
    ]);
    at(0, 0, 640, 360);
    expect(host.firstElementChild).to.equal(tile);
    expect(tile.getAttribute('style')).to.equal(
      'left: 0px; top: 0px; width: 640px; height: 360px;',
    );
  });

  it('refuses to go anywhere but on an element', () => {
    const host = document.createElement('div');
    expect(() =>
      render(html`<div>${placement({ x: 0, y: 0, width: 1, height: 1 })}</div>`, host),
    ).to.throw('placement() goes on an element');
  });
});
