import { expect } from '@open-wc/testing';
import { readFingerprints, safetyCodeOf } from '../../../src/room/safety-code.js';

const ALICE =
  'AA:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:01';
const BOB =
  'BB:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:02';
const MALLORY =
  'CC:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:03';

/** Statistics as Chromium reports them: a transport naming its two certificates. */
function report(local: string, remote: string): Map<string, Record<string, unknown>> {
  return new Map<string, Record<string, unknown>>([
    ['T01', { type: 'transport', localCertificateId: 'CFlocal', remoteCertificateId: 'CFremote' }],
    ['CFlocal', { type: 'certificate', fingerprint: local, fingerprintAlgorithm: 'sha-256' }],
    ['CFremote', { type: 'certificate', fingerprint: remote, fingerprintAlgorithm: 'sha-256' }],
    ['CP1', { type: 'candidate-pair', state: 'succeeded' }],
  ]);
}

describe('safety codes', () => {
  it('reads both fingerprints from the transport in use', () => {
    expect(readFingerprints(report(ALICE, BOB))).to.deep.equal({
      local: `sha-256 ${ALICE}`,
      remote: `sha-256 ${BOB}`,
    });
  });

  it('has no fingerprints before DTLS is up', () => {
    const before = report(ALICE, BOB);
    before.delete('CFremote');
    expect(readFingerprints(before)).to.equal(null);
    expect(readFingerprints(new Map())).to.equal(null);
  });

  it('gives both ends the same six digits', async () => {
    const aliceSees = await safetyCodeOf(readFingerprints(report(ALICE, BOB))!);
    const bobSees = await safetyCodeOf(readFingerprints(report(BOB, ALICE))!);
    expect(aliceSees).to.match(/^\d{3} \d{3}$/);
    expect(aliceSees).to.equal(bobSees);
  });

  it('gives another code when another certificate sits in the connection', async () => {
    const direct = await safetyCodeOf({ local: `sha-256 ${ALICE}`, remote: `sha-256 ${BOB}` });
    // Someone in the middle: Alice talks to Mallory's certificate, Bob to another of Mallory's.
    const aliceSide = await safetyCodeOf({
      local: `sha-256 ${ALICE}`,
      remote: `sha-256 ${MALLORY}`,
    });
    const bobSide = await safetyCodeOf({ local: `sha-256 ${BOB}`, remote: `sha-256 ${MALLORY}` });
    expect(aliceSide).not.to.equal(direct);
    expect(bobSide).not.to.equal(direct);
    expect(aliceSide).not.to.equal(bobSide);
  });

  it('reads fingerprints in any letter case alike', async () => {
    const upper = await safetyCodeOf({ local: `sha-256 ${ALICE}`, remote: `sha-256 ${BOB}` });
    const lower = readFingerprints(report(ALICE.toLowerCase(), BOB.toLowerCase()))!;
    expect(await safetyCodeOf(lower)).to.equal(upper);
  });
});
