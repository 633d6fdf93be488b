import { expect } from '@open-wc/testing';
import { afterCandidateBurst } from '../../../src/transport/candidate-burst.js';

/** A connection with something to negotiate, and how many candidates it has handed out. */
function connectionCountingCandidates(config?: RTCConfiguration) {
  const connection = new RTCPeerConnection(config);
  connection.createDataChannel('probe');
  const counted = { candidates: 0 };
  connection.addEventListener('icecandidate', (event) => {
    if (event.candidate?.candidate) counted.candidates++;
  });
  return { connection, counted };
}

/** Starts waiting as the link does: as the local description is set. */
function burstAfterDescription(connection: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    connection.addEventListener(
      'signalingstatechange',
      () => void afterCandidateBurst(connection).then(resolve),
      { once: true },
    );
  });
}

describe('afterCandidateBurst', () => {
  it('resolves once the candidates after the local description are out, not with it', async () => {
    const { connection, counted } = connectionCountingCandidates();
    try {
      const burst = burstAfterDescription(connection);
      await connection.setLocalDescription();
      const atDescription = counted.candidates;
      await burst;
      expect(atDescription, 'candidates as the description is set').to.equal(0);
      expect(counted.candidates, 'candidates by the end of the burst').to.be.greaterThan(0);
    } finally {
      connection.close();
    }
  });

  it('resolves when gathering completes with no candidate at all', async () => {
    // Relay only and no TURN server: gathering finds nothing.
    const { connection, counted } = connectionCountingCandidates({ iceTransportPolicy: 'relay' });
    try {
      const burst = burstAfterDescription(connection);
      await connection.setLocalDescription();
      await burst;
      expect(connection.iceGatheringState).to.equal('complete');
      expect(counted.candidates).to.equal(0);
    } finally {
      connection.close();
    }
  });
});
