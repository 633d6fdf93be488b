// A stand-in for MediaPipe's selfie segmentation, for the background worker's tests: each mask
// takes `self.maskCost` ms on a clock of its own (the worker's `performance.now`), so that the
// worker's pace can be tested without waiting, and it tells the test of each picture segmented.
let now = 0;
performance.now = () => now;

self.SelfieSegmentation = class {
  constructor() {
    // The inner state the worker patches in MediaPipe's solution.
    this.h = { m: new OffscreenCanvas(1, 1), K: {} };
    this.mask = new OffscreenCanvas(16, 9);
  }
  setOptions() {}
  onResults(listener) {
    this.listener = listener;
  }
  async initialize() {}
  async send({ image }) {
    now += self.maskCost;
    self.postMessage({ type: 'fake-mask', width: image.width });
    this.listener({ segmentationMask: this.mask });
  }
  async close() {}
};
