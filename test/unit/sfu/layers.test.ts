import { expect } from '@open-wc/testing';
import { layerFor } from '../../../src/sfu/layers.js';

describe('layerFor', () => {
  for (const [width, ratio, expected] of [
    [null, 1, { substream: 0, send: false }],
    [0, 1, { substream: 0, send: false }],
    [160, 1, { substream: 0, send: true }],
    [213, 1, { substream: 0, send: true }],
    [300, 1, { substream: 1, send: true }],
    [300, 2, { substream: 2, send: true }],
    [640, 1, { substream: 2, send: true }],
  ] as const) {
    it(`asks for ${expected.send ? `layer ${expected.substream}` : 'nothing'} for a tile ${width} px wide at ${ratio}×`, () => {
      expect(layerFor(width, ratio)).to.deep.equal(expected);
    });
  }
});
