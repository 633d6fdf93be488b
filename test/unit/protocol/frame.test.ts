import { expect } from '@open-wc/testing';
import {
  MAX_CHAT_FRAME_LENGTH,
  encodeChatFrame,
  encodeChunk,
} from '../../../src/protocol/chat-messages.js';
import { decodeFrame, type DecodedFrame } from '../../../src/protocol/frame.js';
import {
  MAX_CONTROL_MESSAGE_LENGTH,
  PROTOCOL_VERSION,
  encodeMessage,
} from '../../../src/protocol/messages.js';

const ID = '0b7f3c1e-5d2a-4c8e-9f10-2a3b4c5d6e7f';
const json = (value: unknown) => JSON.stringify(value);
const hello = { v: PROTOCOL_VERSION, type: 'hello', name: 'Ada', audio: true, video: false };
const chat = { v: PROTOCOL_VERSION, type: 'chat', id: ID, clock: 3, text: 'hi' } as const;
const picture = { ...chat, type: 'picture', transfer: 7, mime: 'image/png', size: 1234 };
const history = { v: PROTOCOL_VERSION, type: 'history', items: [], done: true };
const chunk = encodeChunk(9, 0, new Uint8Array([1, 2, 3]));

/** A frame's kind, and its reason when it was refused. */
function kindOf(decoded: DecodedFrame): string {
  return decoded.kind === 'invalid' ? `invalid: ${decoded.reason}` : decoded.kind;
}

describe('decodeFrame', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a hello', json(hello), 'control'],
    ['a bye', encodeMessage({ v: PROTOCOL_VERSION, type: 'bye' }), 'control'],
    ['a heartbeat', encodeMessage({ v: PROTOCOL_VERSION, type: 'heartbeat' }), 'control'],
    [
      'a signalling-back',
      encodeMessage({ v: PROTOCOL_VERSION, type: 'signalling-back' }),
      'control',
    ],
    ['a chat message', encodeChatFrame(chat), 'chat'],
    ['a picture announcement', json(picture), 'chat'],
    ['an empty final history', json(history), 'chat'],
    ['a picture chunk', chunk, 'chunk'],
    ['a picture chunk as a typed array', new Uint8Array(chunk), 'chunk'],
    ['a number', 42, 'invalid: unknown'],
    ['null', null, 'invalid: unknown'],
    ['undefined', undefined, 'invalid: unknown'],
    ['an object instead of text', { ...hello }, 'invalid: unknown'],
    ['text that is not JSON', 'chat', 'invalid: unknown'],
    ['a JSON array', json([hello]), 'invalid: unknown'],
    ['a hello without a name', json({ v: PROTOCOL_VERSION, type: 'hello' }), 'invalid: unknown'],
    ['an unknown type', json({ v: PROTOCOL_VERSION, type: 'typing' }), 'invalid: unknown'],
    ['a bye of another version', json({ v: 2, type: 'bye' }), 'invalid: unknown'],
    [
      'a hello longer than a control message may be',
      json({ ...hello, name: 'x'.repeat(MAX_CONTROL_MESSAGE_LENGTH) }),
      'invalid: unknown',
    ],
    ['text longer than any frame', 'x'.repeat(MAX_CHAT_FRAME_LENGTH + 1), 'invalid: too-large'],
    [
      'a chat message longer than any frame',
      json({ ...chat, pad: 'x'.repeat(MAX_CHAT_FRAME_LENGTH) }),
      'invalid: too-large',
    ],
    ['a malformed chat', json({ ...chat, id: 1 }), 'invalid: malformed-chat'],
    ['a malformed picture', json({ ...picture, mime: 'x' }), 'invalid: malformed-chat'],
    ['a malformed history', json({ ...history, items: 1 }), 'invalid: malformed-chat'],
    ['a chat of another version', json({ ...chat, v: 2 }), 'invalid: malformed-chat'],
    ['binary that is no chunk', new ArrayBuffer(4), 'invalid: malformed-chunk'],
    ['an empty buffer', new ArrayBuffer(0), 'invalid: malformed-chunk'],
    ['a Blob', new Blob(['x']), 'invalid: malformed-chunk'],
  ];
  for (const [name, raw, expected] of cases) {
    it(`decodes ${name} as ${expected}`, () => {
      expect(kindOf(decodeFrame(raw))).to.equal(expected);
    });
  }

  it('hands on the validated values', () => {
    expect(decodeFrame(json({ ...hello, extra: 1 }))).to.deep.equal({
      kind: 'control',
      message: hello,
    });
    expect(decodeFrame(encodeChatFrame(chat))).to.deep.equal({ kind: 'chat', frame: chat });
    const decoded = decodeFrame(chunk);
    expect(decoded.kind === 'chunk' && decoded.chunk).to.deep.include({ transfer: 9, index: 0 });
  });

  it('parses a text frame once, whatever its kind', () => {
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = ((text: string) => {
      parses++;
      return parse(text) as unknown;
    }) as typeof JSON.parse;
    try {
      for (const raw of [json(hello), encodeChatFrame(chat), json({ ...chat, id: 1 }), '{']) {
        decodeFrame(raw);
      }
    } finally {
      JSON.parse = parse;
    }
    expect(parses).to.equal(4);
  });
});
