// Safety codes: both ends of a connection see the same two DTLS certificates (their own and the
// other's), so a code made from both fingerprints, in an order both agree on, is the same on both
// screens. Someone in the middle terminates DTLS with certificates of their own: the codes differ.

/** The DTLS certificate fingerprints of one live connection, as its statistics report them. */
export interface CertificateFingerprints {
  local: string;
  remote: string;
}

type Stat = Record<string, unknown>;

/** `sha-256 AB:CD:…`: the algorithm and the fingerprint in one case. */
function fingerprintOf(stat: Stat | undefined): string | null {
  const { fingerprint, fingerprintAlgorithm } = stat ?? {};
  if (stat?.type !== 'certificate' || typeof fingerprint !== 'string' || fingerprint === '') {
    return null;
  }
  const algorithm = typeof fingerprintAlgorithm === 'string' ? fingerprintAlgorithm : '';
  return `${algorithm.toLowerCase()} ${fingerprint.toUpperCase()}`;
}

/**
 * Reads both certificates' fingerprints from a peer connection's statistics: the transport in
 * use names them (`localCertificateId`, `remoteCertificateId`). Null until DTLS is up.
 */
export function readFingerprints(
  report: ReadonlyMap<string, Stat>,
): CertificateFingerprints | null {
  for (const stat of report.values()) {
    if (stat.type !== 'transport') continue;
    const local = fingerprintOf(report.get(String(stat.localCertificateId)));
    const remote = fingerprintOf(report.get(String(stat.remoteCertificateId)));
    if (local && remote) return { local, remote };
  }
  return null;
}

/** Digits in a safety code: short enough to read aloud, a one-in-a-million guess. */
const CODE_DIGITS = 6;

/**
 * The safety code of a connection: six digits from SHA-256 over both fingerprints, sorted so
 * that both ends compute the same, shown as `123 456`.
 */
export async function safetyCodeOf({ local, remote }: CertificateFingerprints): Promise<string> {
  const text = [local, remote].sort().join('\n');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const number = new DataView(digest).getUint32(0) % 10 ** CODE_DIGITS;
  const digits = String(number).padStart(CODE_DIGITS, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** The safety code of a link whose DTLS is up, else null (not yet, or its stats are gone). */
export async function readSafetyCode(link: {
  getStats(): Promise<RTCStatsReport | null>;
}): Promise<string | null> {
  const report = await link.getStats().catch(() => null);
  const fingerprints = report ? readFingerprints(report) : null;
  return fingerprints ? safetyCodeOf(fingerprints) : null;
}
