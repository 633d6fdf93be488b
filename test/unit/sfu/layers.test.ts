import { expect } from '@open-wc/testing';
import {
  activeEncodings,
  layerFor,
  layerRequest,
  readLayerRequest,
} from '../../../src/sfu/layers.js';

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

describe('a receiver’s request for layers', () => {
  it('reads back what it wrote, for every layer and for none', () => {
    for (const top of [-1, 0, 1, 2]) expect(readLayerRequest(layerRequest(top))).to.equal(top);
  });

  it('is not read from chat, nor from a request out of range or malformed', () => {
    for (const data of [
      '{"v":1,"type":"hello"}',
      'sfu-layer:3',
      'sfu-layer:-2',
      'sfu-layer:1.5',
      'sfu-layer:',
      'sfu-layer:1e0x',
      new TextEncoder().encode('sfu-layer:1').buffer,
    ]) {
      expect(readLayerRequest(data), String(data)).to.equal(null);
    }
  });
});

describe('activeEncodings', () => {
  for (const [requests, expected] of [
    [[], [false, false, true]],
    [
      [-1, -1],
      [false, false, true],
    ],
    [
      [0, 1],
      [false, true, true],
    ],
    [
      [0, 2, -1],
      [true, true, true],
    ],
    [
      [0, undefined],
      [true, true, true],
    ],
  ] as const) {
    it(`encodes ${JSON.stringify(expected)} (high, mid, low) for requests ${JSON.stringify(requests)}`, () => {
      expect(activeEncodings(requests)).to.deep.equal(expected);
    });
  }
});
