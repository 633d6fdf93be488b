// What PeerJS reads from webrtc-adapter, without the adapter: the bundle aliases `webrtc-adapter`
// to this module, so nothing rewrites the host page's WebRTC globals. The rules are the adapter's
// own (its `detectBrowser`), so PeerJS takes the same decisions in Chromium, Firefox and Safari.

/** The answer PeerJS expects in `adapter.browserDetails`. */
export interface BrowserDetails {
  /** `chrome`, `firefox`, `safari`, or a sentence saying it is none of them. */
  browser: string | null;
  /** Major version (Chromium, Firefox) or AppleWebKit build (Safari); null when unknown. */
  version: number | null;
  /** Safari only: whether `RTCRtpTransceiver` has `currentDirection`. */
  supportsUnifiedPlan?: boolean;
}

/** The parts of `window` the detection looks at; tests pass plain objects. */
export interface BrowserEnvironment {
  navigator?: {
    userAgent?: string;
    userAgentData?: { brands?: ReadonlyArray<{ brand: string; version: string }> };
    mozGetUserMedia?: unknown;
    webkitGetUserMedia?: unknown;
  };
  isSecureContext?: boolean;
  webkitRTCPeerConnection?: unknown;
  RTCPeerConnection?: unknown;
  RTCRtpTransceiver?: { prototype: object };
}

function versionIn(userAgent: string, pattern: RegExp, group: number): number | null {
  const match = pattern.exec(userAgent);
  const version = match ? parseInt(match[group], 10) : NaN;
  return Number.isNaN(version) ? null : version;
}

/** Which browser this is, by webrtc-adapter 9's rules. */
export function detectBrowser(env: BrowserEnvironment | undefined): BrowserDetails {
  const navigator = env?.navigator;
  const userAgent = navigator?.userAgent;
  if (!env || !navigator || !userAgent) return { browser: 'Not a browser.', version: null };

  // Client hints name Chromium reliably (they appeared in Chromium 90).
  const chromium = navigator.userAgentData?.brands?.find((brand) => brand.brand === 'Chromium');
  const hinted = chromium ? parseInt(chromium.version, 10) : NaN;
  if (hinted >= 90) return { browser: 'chrome', version: hinted };

  if (navigator.mozGetUserMedia) {
    return { browser: 'firefox', version: versionIn(userAgent, /Firefox\/(\d+)\./, 1) };
  }
  if (
    navigator.webkitGetUserMedia ||
    (env.isSecureContext === false && env.webkitRTCPeerConnection)
  ) {
    return { browser: 'chrome', version: versionIn(userAgent, /Chrom(e|ium)\/(\d+)\./, 2) };
  }
  if (env.RTCPeerConnection && /AppleWebKit\/(\d+)\./.test(userAgent)) {
    return {
      browser: 'safari',
      version: versionIn(userAgent, /AppleWebKit\/(\d+)\./, 1),
      supportsUnifiedPlan:
        !!env.RTCRtpTransceiver && 'currentDirection' in env.RTCRtpTransceiver.prototype,
    };
  }
  return { browser: 'Not a supported browser.', version: null };
}

let details: BrowserDetails | undefined;

/** Stands in for webrtc-adapter's default export; detects on first read, patches nothing. */
const adapter = {
  get browserDetails(): BrowserDetails {
    details ??= detectBrowser(
      typeof window === 'undefined' ? undefined : (window as unknown as BrowserEnvironment),
    );
    return details;
  },
};

export default adapter;
