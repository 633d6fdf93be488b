/**
 * Stand-in tracks for a missing or switched-off device. Every call is negotiated with one audio
 * and one video track, so a camera or microphone turned on later needs no renegotiation (which
 * PeerJS cannot do): it only replaces the stand-in.
 */
export class PlaceholderTracks {
  private audioContext: AudioContext | null = null;
  private audioTrack: MediaStreamTrack | null = null;
  private videoTrack: MediaStreamTrack | null = null;

  get audio(): MediaStreamTrack {
    if (!this.audioTrack || this.audioTrack.readyState === 'ended') {
      this.audioContext ??= new AudioContext();
      this.audioTrack = this.audioContext.createMediaStreamDestination().stream.getAudioTracks()[0];
    }
    return this.audioTrack;
  }

  get video(): MediaStreamTrack {
    if (!this.videoTrack || this.videoTrack.readyState === 'ended') {
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 180;
      const context = canvas.getContext('2d');
      if (context) {
        context.fillStyle = '#000';
        context.fillRect(0, 0, canvas.width, canvas.height);
      }
      this.videoTrack = canvas.captureStream(1).getVideoTracks()[0];
    }
    return this.videoTrack;
  }

  /** Whether `track` is the stand-in of its kind. */
  isStandIn(track: MediaStreamTrack): boolean {
    return track === this.audioTrack || track === this.videoTrack;
  }

  /** Stops the stand-in of one kind (a device took its place); the next is made afresh. */
  release(kind: 'audio' | 'video'): void {
    if (kind === 'video') {
      this.videoTrack?.stop();
      this.videoTrack = null;
      return;
    }
    this.audioTrack?.stop();
    this.audioTrack = null;
    void this.audioContext?.close();
    this.audioContext = null;
  }

  stop(): void {
    this.release('audio');
    this.release('video');
  }
}
