import { nothing } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';
import type { Rect } from './tile-layout.js';

/**
 * Places an element by its inline style's `left`, `top`, `width` and `height`, set through the
 * CSSOM (as Lit's `styleMap` does, so a page whose CSP refuses inline styles still lays the
 * stage out) but for these four only, at a fraction of styleMap's size.
 */
class PlacementDirective extends Directive {
  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('placement() goes on an element');
  }

  render(_rect: Rect): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [rect]: [Rect]): typeof nothing {
    const { style } = part.element as HTMLElement;
    style.left = `${rect.x}px`;
    style.top = `${rect.y}px`;
    style.width = `${rect.width}px`;
    style.height = `${rect.height}px`;
    return nothing;
  }
}

/** `<div ${placement(rect)}>`: the element at `rect` in its positioned parent. */
export const placement = directive(PlacementDirective);
