// Lit's decorators, as the TypeScript legacy decorators this project compiles with
// (`experimentalDecorators`): each as Lit's own does it for a class field, without the standard
// decorators' path, which this build never takes and whose code every page would download.
import type { PropertyDeclaration, ReactiveElement } from 'lit';

type ElementClass = typeof ReactiveElement;

/** `@customElement('tag')`: defines the class as that element. */
export const customElement =
  (tagName: string) =>
  (elementClass: CustomElementConstructor): void =>
    customElements.define(tagName, elementClass);

/** `@property(options)`: a reactive property, with an attribute unless told otherwise. */
export const property =
  (options?: PropertyDeclaration) =>
  (proto: ReactiveElement, name: PropertyKey): void =>
    (proto.constructor as ElementClass).createProperty(name, options);

/** `@state()`: reactive, internal state (no attribute). */
export const state = (): ((proto: ReactiveElement, name: PropertyKey) => void) =>
  property({ state: true, attribute: false });

/** `@query(selector)`: the first element of the render root that matches, or null. */
export const query =
  (selector: string) =>
  (proto: ReactiveElement, name: PropertyKey): void => {
    Object.defineProperty(proto, name, {
      get(this: ReactiveElement) {
        return this.renderRoot?.querySelector(selector) ?? null;
      },
      configurable: true,
      enumerable: true,
    });
  };
