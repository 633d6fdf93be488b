import type { MemberInfo } from '../../../src/room/room-protocol.js';

/** What the server says of a visitor: a guest with no vouched name unless told otherwise. */
export const member = (id: string, extra: Partial<MemberInfo> = {}): MemberInfo => ({
  id,
  role: 'guest',
  name: '',
  verified: false,
  guest: 1,
  handRaised: false,
  ...extra,
});
