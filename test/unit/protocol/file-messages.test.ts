import { expect } from '@open-wc/testing';
import { validateChatFrame } from '../../../src/protocol/chat-messages.js';
import {
  cleanFileName,
  cleanFileType,
  FILE_TRANSFER_BASE,
  MAX_FILE_BYTES,
  validateFileFrame,
} from '../../../src/protocol/file-messages.js';

const SHA = 'a'.repeat(64);
const offer = (fields: Record<string, unknown> = {}) => ({
  v: 1,
  type: 'file',
  op: 'offer',
  id: 'abcdefgh-1234',
  clock: 3,
  name: 'notes.pdf',
  size: 1000,
  mime: 'application/pdf',
  sha256: SHA,
  ...fields,
});

describe('file frames', () => {
  it('pass through the chat validator untouched, for the transfers chunk to validate', () => {
    const data = offer({ name: '<b>x</b>', extra: 1 });
    expect(validateChatFrame(data)).to.deep.equal({ v: 1, type: 'file', data });
  });

  it('accept a well-formed offer, request and stop', () => {
    expect(validateFileFrame(offer())).to.deep.equal(offer());
    const get = {
      v: 1,
      type: 'file',
      op: 'get',
      id: 'abcdefgh-1234',
      transfer: FILE_TRANSFER_BASE,
    };
    expect(validateFileFrame(get)).to.deep.equal(get);
    const stop = {
      v: 1,
      type: 'file',
      op: 'stop',
      transfer: FILE_TRANSFER_BASE + 7,
      reason: 'busy',
    };
    expect(validateFileFrame(stop)).to.deep.equal(stop);
  });

  const refused: Array<[string, Record<string, unknown>]> = [
    ['another version', offer({ v: 2 })],
    ['an unknown op', offer({ op: 'push' })],
    ['a hash that is not 64 hex digits', offer({ sha256: 'A'.repeat(64) })],
    ['a short hash', offer({ sha256: 'ab' })],
    ['a negative size', offer({ size: -1 })],
    ['a fractional size', offer({ size: 1.5 })],
    ['a size as text', offer({ size: '1000' })],
    ['a size past the protocol limit', offer({ size: MAX_FILE_BYTES + 1 })],
    ['a name that is not text', offer({ name: ['a'] })],
    ['a name over 255 characters', offer({ name: 'x'.repeat(256) })],
    ['a bad message ID', offer({ id: '../../etc' })],
    ['a clock of 0', offer({ clock: 0 })],
    [
      'a request under a picture transfer number',
      { v: 1, type: 'file', op: 'get', id: 'abcdefgh-1234', transfer: 7 },
    ],
    [
      'a request past 32 bits',
      { v: 1, type: 'file', op: 'get', id: 'abcdefgh-1234', transfer: 2 ** 32 },
    ],
    [
      'a stop with an unknown reason',
      { v: 1, type: 'file', op: 'stop', transfer: FILE_TRANSFER_BASE, reason: 'nope' },
    ],
  ];
  for (const [what, frame] of refused) {
    it(`refuse ${what}`, () => {
      expect(validateFileFrame(frame)).to.equal(null);
    });
  }

  it('keep the size 0 of an empty file', () => {
    expect(validateFileFrame(offer({ size: 0 }))).to.include({ size: 0 });
  });
});

describe('cleanFileName', () => {
  const cases: Array<[unknown, string | null]> = [
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['C:\\Windows\\evil.exe', 'C:_Windows_evil.exe'],
    ['line\nbreak\u0000.txt', 'linebreak.txt'],
    ['bell\u0007\u001b[31m.txt', 'bell[31m.txt'],
    // Right-to-left override: `exe.txt` shown as `txt.exe`.
    ['photo\u202egpj.exe', 'photogpj.exe'],
    ['  spaced  ', 'spaced'],
    ['..', 'file'],
    ['', 'file'],
    ['\u0000\u0001', 'file'],
    ['照片 👩‍👩‍👧.png', '照片 👩‍👩‍👧.png'],
    [42, null],
    ['x'.repeat(256), null],
  ];
  for (const [name, expected] of cases) {
    it(`makes ${JSON.stringify(name)} ${JSON.stringify(expected)}`, () => {
      expect(cleanFileName(name)).to.equal(expected);
    });
  }
});

describe('cleanFileType', () => {
  const cases: Array<[unknown, string]> = [
    ['application/pdf', 'application/pdf'],
    ['Text/Plain; charset=utf-8', 'text/plain'],
    ['', 'application/octet-stream'],
    ['text/html<script>', 'application/octet-stream'],
    ['no-slash', 'application/octet-stream'],
    [undefined, 'application/octet-stream'],
  ];
  for (const [type, expected] of cases) {
    it(`makes ${JSON.stringify(type)} ${expected}`, () => {
      expect(cleanFileType(type)).to.equal(expected);
    });
  }
});
