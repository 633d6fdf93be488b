import { expect } from '@open-wc/testing';
import { checkImage, sniffImageType } from '../../../src/chat/image-sniff.js';
import type { ImageType } from '../../../src/protocol/chat-messages.js';
import { canvasImage, gifBytes, HTML_TEXT, pngLike, SVG_TEXT } from './support/images.js';

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());
const text = (value: string) => new TextEncoder().encode(value);

describe('image sniffing', () => {
  describe('sniffImageType', () => {
    const made: Array<'image/png' | 'image/jpeg' | 'image/webp'> = [
      'image/png',
      'image/jpeg',
      'image/webp',
    ];
    for (const type of made) {
      it(`recognises a ${type} drawn on a canvas`, async () => {
        expect(sniffImageType(await bytesOf(await canvasImage(type)))).to.equal(type);
      });
    }

    it('recognises a GIF89a', () => {
      expect(sniffImageType(gifBytes())).to.equal('image/gif');
    });

    it('recognises a GIF87a', () => {
      expect(sniffImageType(text('GIF87a\u0001\u0000'))).to.equal('image/gif');
    });

    const refused: Array<[string, Uint8Array]> = [
      ['SVG text', text(SVG_TEXT)],
      ['SVG with an XML declaration', text(`<?xml version="1.0"?>${SVG_TEXT}`)],
      ['an HTML page', text(HTML_TEXT)],
      ['plain text', text('just some words, nothing more')],
      ['nothing at all', new Uint8Array(0)],
      ['half a PNG signature', Uint8Array.from([0x89, 0x50, 0x4e, 0x47])],
      ['a RIFF file that is not WebP (a WAV)', text('RIFF\u0000\u0000\u0000\u0000WAVEfmt ')],
      ['a PDF', text('%PDF-1.7\n')],
      ['a BMP', text('BM\u0000\u0000\u0000\u0000')],
    ];
    for (const [name, bytes] of refused) {
      it(`refuses ${name}`, () => {
        expect(sniffImageType(bytes)).to.equal(null);
      });
    }
  });

  describe('checkImage', () => {
    it('accepts a PNG renamed to .txt with a text type, as a PNG', async () => {
      const png = await canvasImage('image/png');
      const renamed = new File([png], 'notes.txt', { type: 'text/plain' });
      expect(await checkImage(renamed, 1024 * 1024)).to.deep.equal({ ok: true, type: 'image/png' });
    });

    it('refuses a text file renamed to .png with an image type', async () => {
      const renamed = new File(['hello, I am text'], 'photo.png', { type: 'image/png' });
      expect(await checkImage(renamed, 1024 * 1024)).to.deep.equal({
        ok: false,
        refusal: 'not-an-image',
      });
    });

    it('refuses an SVG whatever its name says', async () => {
      const svg = new File([SVG_TEXT], 'cat.jpg', { type: 'image/jpeg' });
      expect(await checkImage(svg, 1024 * 1024)).to.deep.include({ refusal: 'not-an-image' });
    });

    it('refuses an empty file', async () => {
      expect(await checkImage(new Blob([]), 1024)).to.deep.include({ refusal: 'not-an-image' });
    });

    it('refuses a picture one byte over the limit, and takes one at it', async () => {
      const bytes = await pngLike(2048);
      expect(await checkImage(new Blob([bytes]), 2047)).to.deep.include({ refusal: 'too-large' });
      const atLimit: ImageType | null = (
        (await checkImage(new Blob([bytes]), 2048)) as {
          type: ImageType;
        }
      ).type;
      expect(atLimit).to.equal('image/png');
    });
  });
});
