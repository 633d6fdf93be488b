// The package entry: defines <rtc-room> and exports its public types.
export { RtcRoom, ROOM_QUERY_PARAMETER } from './rtc-room.js';
export type { ChatMessage, ChatPicture } from './chat/chat-room.js';
export type { Layout } from './config.js';
export { RoomError, type RoomErrorCode } from './errors.js';
export type {
  RoomState,
  RtcErrorDetail,
  RtcJoinDetail,
  RtcKnockDetail,
  RtcLeaveDetail,
  RtcMessageDetail,
  RtcModeDetail,
  RtcPeerDetail,
  RtcReactionDetail,
  RtcRoomLockDetail,
  RtcRoomEventMap,
  RtcStateDetail,
} from './events.js';
export type { RouteMode } from './room/media-route.js';
export type { Participant } from './room/participant.js';
export type { Knocker } from './room/room-moderation.js';
export { REACTIONS } from './room/reactions.js';
export { isRoomId } from './room/room-id.js';
