import { expect } from '@open-wc/testing';
// webrtc-adapter's own detection, to check that PeerJS gets the same answer without the shim.
import { detectBrowser as adapterDetect } from 'webrtc-adapter/src/js/utils.js';
import adapter, {
  detectBrowser,
  type BrowserDetails,
  type BrowserEnvironment,
} from '../../../src/transport/browser-details.js';

const chromiumBrands = (version: string, brand: string) => [
  { brand: 'Chromium', version },
  { brand, version },
  { brand: 'Not-A.Brand', version: '99' },
];
const withDirection = { prototype: { currentDirection: null } };

/** Real user-agent strings, with the features each browser has. */
const BROWSERS: Array<[string, BrowserEnvironment, Partial<BrowserDetails>]> = [
  [
    'Chrome 124 on Windows',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
        userAgentData: { brands: chromiumBrands('124', 'Google Chrome') },
        webkitGetUserMedia: () => {},
      },
      RTCPeerConnection: class {},
    },
    { browser: 'chrome', version: 124 },
  ],
  [
    'Edge 123 on Windows',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.0.0',
        userAgentData: { brands: chromiumBrands('123', 'Microsoft Edge') },
        webkitGetUserMedia: () => {},
      },
      RTCPeerConnection: class {},
    },
    { browser: 'chrome', version: 123 },
  ],
  [
    'Chrome 124 on Android, on http (no client hints)',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
      },
      isSecureContext: false,
      webkitRTCPeerConnection: class {},
      RTCPeerConnection: class {},
    },
    { browser: 'chrome', version: 124 },
  ],
  [
    'Firefox 115 ESR on Linux',
    {
      navigator: {
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0',
        mozGetUserMedia: () => {},
      },
      RTCPeerConnection: class {},
    },
    { browser: 'firefox', version: 115 },
  ],
  [
    'Firefox 125 on Android',
    {
      navigator: {
        userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0',
        mozGetUserMedia: () => {},
      },
      RTCPeerConnection: class {},
    },
    { browser: 'firefox', version: 125 },
  ],
  [
    'Safari 17.4 on macOS',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      },
      RTCPeerConnection: class {},
      RTCRtpTransceiver: withDirection,
    },
    { browser: 'safari', version: 605, supportsUnifiedPlan: true },
  ],
  [
    'Safari 16.4 on macOS',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Safari/605.1.15',
      },
      RTCPeerConnection: class {},
      RTCRtpTransceiver: withDirection,
    },
    { browser: 'safari', version: 605, supportsUnifiedPlan: true },
  ],
  [
    'Safari on iOS 17.4 (iPhone)',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      },
      RTCPeerConnection: class {},
      RTCRtpTransceiver: withDirection,
    },
    { browser: 'safari', version: 605, supportsUnifiedPlan: true },
  ],
  [
    'Safari on iPadOS 16.6 (iPad)',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
      },
      RTCPeerConnection: class {},
      RTCRtpTransceiver: withDirection,
    },
    { browser: 'safari', version: 605, supportsUnifiedPlan: true },
  ],
  [
    'Chrome on iOS (WebKit underneath)',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
      },
      RTCPeerConnection: class {},
      RTCRtpTransceiver: withDirection,
    },
    { browser: 'safari', version: 605, supportsUnifiedPlan: true },
  ],
  [
    'a WebKit without WebRTC',
    {
      navigator: {
        userAgent:
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
      },
    },
    { browser: 'Not a supported browser.', version: null },
  ],
  ['no navigator (a server)', {}, { browser: 'Not a browser.', version: null }],
];

/** Adapter's answer with what PeerJS reads of it: NaN versions are "unknown", like our null. */
function adapterAnswer(env: BrowserEnvironment): Partial<BrowserDetails> {
  const details = adapterDetect(env) as BrowserDetails & { _safariVersion?: number };
  const { browser, version, supportsUnifiedPlan } = details;
  const answer: Partial<BrowserDetails> = {
    browser,
    version: Number.isNaN(version) ? null : version,
  };
  if (supportsUnifiedPlan !== undefined) answer.supportsUnifiedPlan = supportsUnifiedPlan;
  return answer;
}

describe('detectBrowser', () => {
  for (const [name, env, expected] of BROWSERS) {
    it(`tells ${name}: ${expected.browser} ${expected.version ?? ''}`, () => {
      expect(detectBrowser(env)).to.deep.equal(expected);
    });

    it(`agrees with webrtc-adapter on ${name}`, () => {
      expect(detectBrowser(env)).to.deep.equal(adapterAnswer(env));
    });
  }

  it('gives PeerJS the same answer as webrtc-adapter in this browser, without patching it', () => {
    const before = window.RTCPeerConnection;
    const details = adapter.browserDetails;
    expect(details.browser).to.equal('chrome');
    expect(details.version).to.be.a('number').above(100);
    expect(details).to.deep.equal(adapterAnswer(window as unknown as BrowserEnvironment));
    expect(window.RTCPeerConnection).to.equal(before);
  });
});
