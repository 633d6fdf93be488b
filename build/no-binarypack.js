// Replaces `peerjs-js-binarypack` in the bundle: rtc-room opens every DataConnection with
// `raw` serialization, so PeerJS's BinaryPack is never used and is left out.
const refuse = () => {
  throw new Error('rtc-room speaks raw serialization only; BinaryPack is not included');
};

export const pack = refuse;
export const unpack = refuse;
