// webrtc-adapter ships no types for its detection helper, which the browser-details test compares against.
declare module 'webrtc-adapter/src/js/utils.js' {
  // It reads only `navigator` and a few constructors off the object it is given.
  export function detectBrowser(window: object): {
    browser: string | null;
    version: number | null;
    supportsUnifiedPlan?: boolean;
  };
}
