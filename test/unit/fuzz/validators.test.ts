// Property-based: whatever a peer sends or a page writes in an attribute, the validators and
// parsers answer with a value or a RoomError, and never throw.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  parseIceServers,
  parseIceTransportPolicy,
  parseLayout,
  parseServerUrl,
  parseTheme,
  parseToken,
} from '../../../src/config.js';
import { RoomError } from '../../../src/errors.js';
import { CHAT_FRAME_TYPES, decodeChunk } from '../../../src/protocol/chat-messages.js';
import { decodeFrame } from '../../../src/protocol/frame.js';

const RUNS = { numRuns: 300 };

/** Values shaped like our frames, with every field possibly wrong: the likeliest to get far. */
const frameLike = fc.record(
  {
    v: fc.oneof(fc.constant(1), fc.integer(), fc.string()),
    type: fc.oneof(fc.constantFrom('hello', 'bye', ...CHAT_FRAME_TYPES), fc.string()),
    id: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
    name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    text: fc.oneof(fc.string(), fc.string({ minLength: 3000, maxLength: 5000 })),
    clock: fc.oneof(fc.integer(), fc.double(), fc.string()),
    ids: fc.oneof(fc.array(fc.string()), fc.string(), fc.constant(null)),
    items: fc.array(fc.anything(), { maxLength: 5 }),
    size: fc.oneof(fc.integer(), fc.double(), fc.string()),
    audio: fc.anything(),
    video: fc.anything(),
  },
  { requiredKeys: [] },
);

/** Anything a data channel can deliver: text (JSON or not), objects, binary. */
const received = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.json(),
  frameLike,
  frameLike.map((frame) => JSON.stringify(frame)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => bytes.buffer),
);

describe('fuzzing the data-channel validators', () => {
  it('decodeFrame returns a frame of a known kind for anything', () => {
    fc.assert(
      fc.property(received, (raw) => {
        const decoded = decodeFrame(raw);
        expect(['control', 'chat', 'chunk', 'invalid']).to.include(decoded.kind);
        if (decoded.kind === 'control') expect(typeof decoded.message).to.equal('object');
      }),
      RUNS,
    );
  });

  it('the chat validator returns a chat frame or refuses anything', () => {
    fc.assert(
      fc.property(received, (raw) => {
        const decoded = decodeFrame(raw);
        if (decoded.kind === 'chat') expect(CHAT_FRAME_TYPES).to.include(decoded.frame.type);
        if (decoded.kind === 'invalid' && decoded.reason === 'malformed-chat') {
          expect(typeof raw).to.equal('string');
          expect(CHAT_FRAME_TYPES).to.include(
            (JSON.parse(raw as string) as { type: unknown }).type,
          );
        }
      }),
      RUNS,
    );
  });

  it('decodeChunk returns a chunk or null for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const chunk = decodeChunk(bytes.buffer);
        expect(chunk === null || typeof chunk === 'object').to.equal(true);
      }),
      RUNS,
    );
  });
});

describe('fuzzing the attribute parsers', () => {
  const attribute = fc.oneof(
    fc.constant(null),
    fc.string(),
    fc.json(),
    fc
      .array(fc.record({ urls: fc.anything(), username: fc.anything(), credential: fc.anything() }))
      .map((list) => JSON.stringify(list)),
    fc.webUrl(),
    fc
      .tuple(fc.base64String(), fc.base64String(), fc.base64String())
      .map((parts) => parts.join('.')),
  );
  /** A parse result is a value, or a RoomError with a stable code. */
  const isParsed = (parsed: { ok: boolean; error?: unknown }) =>
    parsed.ok || parsed.error instanceof RoomError;

  it('every parser answers any attribute value without throwing', () => {
    fc.assert(
      fc.property(attribute, (value) => {
        expect(isParsed(parseIceServers(value))).to.equal(true);
        expect(isParsed(parseServerUrl(value, 'https://rtc.example.com/rtc-room.js'))).to.equal(
          true,
        );
        expect(isParsed(parseToken(value))).to.equal(true);
        expect(['all', 'relay']).to.include(parseIceTransportPolicy(value));
        expect(['grid', 'speaker', 'sidebar']).to.include(parseLayout(value));
        expect(typeof parseTheme(value)).to.equal('string');
      }),
      RUNS,
    );
  });
});
