// A reactive controller host without Lit: it counts the updates its controllers ask for and
// runs their hooks when a test says so. Its shadow-root stand-in is a plain element.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class FakeHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  /** Where the controllers look for what the host rendered. */
  readonly renderRoot = document.createElement('div');
  updates = 0;
  updateComplete: Promise<boolean> = Promise.resolve(true);

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }

  removeController(controller: ReactiveController): void {
    this.controllers.splice(this.controllers.indexOf(controller), 1);
  }

  requestUpdate(): void {
    this.updates++;
  }

  /** Runs every controller's `hostUpdated`, as after a render. */
  updated(): void {
    for (const controller of this.controllers) controller.hostUpdated?.();
  }
}

/** Lets promise callbacks already queued run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));
