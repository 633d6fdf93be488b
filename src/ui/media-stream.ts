import { nothing } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * Gives a media element its stream once. Lit re-commits a `.srcObject=${stream}` binding at every
 * render, and each assignment reloads the element (the picture blinks, the sound gaps), so the
 * stream is assigned only when it is another one.
 */
class MediaStreamDirective extends Directive {
  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) {
      throw new Error('mediaStream() goes on a <video> or <audio> element');
    }
  }

  render(_stream: MediaStream | null): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [stream]: [MediaStream | null]): typeof nothing {
    const media = part.element as HTMLMediaElement;
    if (media.srcObject !== stream) media.srcObject = stream;
    return nothing;
  }
}

/** `<video ${mediaStream(stream)}>`: sets `srcObject` only when the stream changes. */
export const mediaStream = directive(MediaStreamDirective);
