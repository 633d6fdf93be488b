import type { Layout } from '../config.js';
import type { ChatErrorCode, RoomErrorCode } from '../errors.js';
import type { ConnectionQuality } from '../room/connection-quality.js';

/** Every sentence the element shows. A language is a complete table: the compiler checks it. */
export interface Strings {
  createRoom: string;
  joinById: string;
  roomIdLabel: string;
  roomIdInvalid: string;
  join: string;
  rejoin: string;
  retry: string;
  leave: string;
  nameLabel: string;
  guest: string;
  you: string;
  connecting: string;
  leftTitle: string;
  shareLink: string;
  copyLink: string;
  copied: string;
  roomLabel: string;
  muteMicrophone: string;
  unmuteMicrophone: string;
  cameraOff: string;
  cameraOn: string;
  microphoneOff: string;
  controls: string;
  participants: (count: number) => string;
  enableSound: string;
  reconnecting: string;
  alone: string;
  connectionInfo: string;
  /** Candidate types as a visitor reads them: `host` is a direct path, `relay` goes through TURN. */
  candidateTypes: Record<'host' | 'srflx' | 'prflx' | 'relay', string>;
  roundTrip: (ms: number) => string;
  /** The label of a remote participant's safety code, and how to use it. */
  safetyCode: string;
  safetyCodeHint: string;
  /** Connection quality at a glance. */
  quality: Record<ConnectionQuality, string>;
  unreachable: string;
  /** On a participant silent for a few seconds, while a fresh call is tried. */
  peerReconnecting: string;
  dismiss: string;
  /** The layout switcher. */
  layout: string;
  layouts: Record<Layout, string>;
  closeChat: string;
  /** Device pickers, before joining and in the call. */
  camera: string;
  microphone: string;
  speaker: string;
  cameraNumber: (n: number) => string;
  microphoneNumber: (n: number) => string;
  speakerNumber: (n: number) => string;
  devices: string;
  cameraIsOff: string;
  microphoneLevel: string;
  pin: (name: string) => string;
  unpin: (name: string) => string;
  fullscreenTile: (name: string) => string;
  fullscreen: string;
  exitFullscreen: string;
  /** Read out by screen readers as things happen in the room. */
  announce: {
    joined: (name: string) => string;
    left: (name: string) => string;
    message: (name: string) => string;
  };
  errors: Record<RoomErrorCode, string>;
  /** The chat panel's sentences (the panel is given only this section). */
  chat: {
    /** The BCP 47 tag times and emoji names are given in. */
    locale: string;
    /** The chat panel as a whole. */
    title: string;
    /** The list of messages. */
    log: string;
    empty: string;
    inputLabel: string;
    placeholder: string;
    send: string;
    attach: string;
    emoji: string;
    emojiPicker: string;
    you: string;
    guest: string;
    /** A message's time of day. */
    time: (sentAt: number) => string;
    /** Marks messages a late joiner received from before it arrived. */
    earlier: string;
    pictureAlt: (name: string) => string;
    openPicture: (name: string) => string;
    closePicture: string;
    sending: (percent: number) => string;
    receiving: (percent: number) => string;
    /** Why a picture is not shown. */
    pictureFailed: Record<'not-an-image' | 'incomplete' | 'refused' | 'unavailable', string>;
    refusedTooLarge: (maxBytes: number) => string;
    refusedNotImage: string;
    unread: (count: number) => string;
    /** Why sending a message or picture failed, by code. */
    errors: Record<ChatErrorCode, string>;
  };
}

const enChat: Strings['chat'] = {
  locale: 'en',
  title: 'Chat',
  log: 'Messages',
  empty: 'No messages yet.',
  inputLabel: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  attach: 'Send a picture',
  emoji: 'Insert an emoji',
  emojiPicker: 'Emoji',
  you: 'you',
  guest: 'Guest',
  time: (sentAt) =>
    new Date(sentAt).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' }),
  earlier: 'earlier',
  pictureAlt: (name) => `Picture from ${name}`,
  openPicture: (name) => `Open the picture from ${name} full size`,
  closePicture: 'Close',
  sending: (percent) => `Sending, ${percent}%`,
  receiving: (percent) => `Receiving, ${percent}%`,
  pictureFailed: {
    'not-an-image': 'This file was not a picture and was refused.',
    incomplete: 'The picture did not arrive in full.',
    refused: 'The picture could not be received right now.',
    unavailable: 'This picture is no longer available.',
  },
  refusedTooLarge: (maxBytes) =>
    `That picture is too large: at most ${(maxBytes / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} MB.`,
  refusedNotImage: 'Only PNG, JPEG, GIF and WebP pictures can be sent.',
  unread: (count) => (count === 1 ? '1 unread message' : `${count} unread messages`),
  errors: {
    'chat-empty': 'Write something first.',
    'chat-too-long': 'That message is too long (at most 4000 characters).',
    'chat-rate-limited': 'Too many messages at once; wait a moment.',
    'image-too-large': 'That picture is too large.',
    'image-unsupported': 'Only PNG, JPEG, GIF and WebP pictures can be sent.',
    'chat-closed': 'The chat is closed: you are not in the room.',
  },
};

const en: Strings = {
  createRoom: 'Create room',
  joinById: 'Join room',
  roomIdLabel: 'Room ID',
  roomIdInvalid: 'A room ID has 8 to 64 letters, digits and hyphens.',
  join: 'Join',
  rejoin: 'Join again',
  retry: 'Try again',
  leave: 'Leave',
  nameLabel: 'Your name',
  guest: 'Guest',
  you: 'you',
  connecting: 'Connecting…',
  leftTitle: 'You left the room.',
  shareLink: 'Invite others with this link',
  copyLink: 'Copy link',
  copied: 'Copied',
  roomLabel: 'Room',
  muteMicrophone: 'Mute microphone',
  unmuteMicrophone: 'Unmute microphone',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  microphoneOff: 'Microphone off',
  controls: 'Call controls',
  participants: (count) => (count === 1 ? '1 person' : `${count} people`),
  enableSound: 'Click to turn on sound',
  reconnecting: 'Lost the server; calls go on while it reconnects…',
  alone: 'Waiting for others to join…',
  connectionInfo: 'Connection details',
  candidateTypes: {
    host: 'direct (local network)',
    srflx: 'direct (through NAT)',
    prflx: 'direct (through NAT)',
    relay: 'relayed (TURN)',
  },
  roundTrip: (ms) => `round trip ${ms} ms`,
  safetyCode: 'Safety code',
  safetyCodeHint:
    'Compare it aloud with theirs: the same code on both screens means nobody sits in between.',
  quality: { good: 'Connection good', fair: 'Connection fair', poor: 'Connection poor' },
  unreachable: 'Cannot connect',
  peerReconnecting: 'Reconnecting…',
  dismiss: 'Dismiss',
  layout: 'Layout',
  layouts: { grid: 'Grid', speaker: 'Speaker', sidebar: 'Sidebar' },
  closeChat: 'Close chat',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  cameraNumber: (n) => `Camera ${n}`,
  microphoneNumber: (n) => `Microphone ${n}`,
  speakerNumber: (n) => `Speaker ${n}`,
  devices: 'Camera, microphone and speaker',
  cameraIsOff: 'Your camera is off',
  microphoneLevel: 'Microphone level',
  pin: (name) => `Pin ${name}`,
  unpin: (name) => `Unpin ${name}`,
  fullscreenTile: (name) => `Show ${name} full screen`,
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  announce: {
    joined: (name) => `${name} joined`,
    left: (name) => `${name} left`,
    message: (name) => `New message from ${name}`,
  },
  errors: {
    ...enChat.errors,
    'permission-denied':
      'Camera or microphone access was refused. You can still listen and chat; allow access in the browser and join again to be seen and heard.',
    'no-device': 'No camera or microphone was found. You can still listen and chat.',
    'media-failed': 'The camera or microphone could not be started (is another app using it?).',
    'room-full': 'This room is full.',
    'server-unreachable': 'The room server cannot be reached. Check the connection and try again.',
    unauthorized: 'You are not allowed into this room.',
    'bad-room-id': 'That is not a valid room ID.',
    'bad-ice-servers': 'The ice-servers setting is invalid; using the server’s instead.',
    'bad-server': 'The server setting is not a valid rtc-room server address.',
    'peer-unreachable': 'Could not connect to one of the participants.',
    'ice-failed':
      'Could not reach a participant through any network path (the TURN server may have refused the credentials).',
    'signalling-lost': 'Lost the connection to the room server.',
    'signalling-restored': 'Connected to the room server again.',
    'unsupported-browser': 'This browser cannot make video calls here (it needs HTTPS and WebRTC).',
    internal: 'Something went wrong.',
  },
  chat: enChat,
};

const zhCNChat: Strings['chat'] = {
  locale: 'zh-CN',
  title: '聊天',
  log: '消息',
  empty: '还没有消息。',
  inputLabel: '消息',
  placeholder: '输入消息…',
  send: '发送',
  attach: '发送图片',
  emoji: '插入表情',
  emojiPicker: '表情',
  you: '你',
  guest: '访客',
  time: (sentAt) =>
    new Date(sentAt).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' }),
  earlier: '之前',
  pictureAlt: (name) => `来自 ${name} 的图片`,
  openPicture: (name) => `查看来自 ${name} 的原图`,
  closePicture: '关闭',
  sending: (percent) => `正在发送，${percent}%`,
  receiving: (percent) => `正在接收，${percent}%`,
  pictureFailed: {
    'not-an-image': '这个文件不是图片，已拒收。',
    incomplete: '图片没有完整收到。',
    refused: '暂时无法接收这张图片。',
    unavailable: '这张图片已不可用。',
  },
  refusedTooLarge: (maxBytes) =>
    `图片太大：最大 ${(maxBytes / 1024 / 1024).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} MB。`,
  refusedNotImage: '只能发送 PNG、JPEG、GIF 和 WebP 图片。',
  unread: (count) => `${count} 条未读消息`,
  errors: {
    'chat-empty': '请先输入内容。',
    'chat-too-long': '消息太长（最多 4000 个字符）。',
    'chat-rate-limited': '消息发送过于频繁，请稍候。',
    'image-too-large': '图片太大。',
    'image-unsupported': '只能发送 PNG、JPEG、GIF 和 WebP 图片。',
    'chat-closed': '聊天已关闭：你不在房间里。',
  },
};

const zhCN: Strings = {
  createRoom: '创建房间',
  joinById: '加入房间',
  roomIdLabel: '房间号',
  roomIdInvalid: '房间号由 8 到 64 个字母、数字和连字符组成。',
  join: '加入',
  rejoin: '重新加入',
  retry: '重试',
  leave: '离开',
  nameLabel: '你的名字',
  guest: '访客',
  you: '你',
  connecting: '正在连接…',
  leftTitle: '你已离开房间。',
  shareLink: '用这个链接邀请他人',
  copyLink: '复制链接',
  copied: '已复制',
  roomLabel: '房间',
  muteMicrophone: '关闭麦克风',
  unmuteMicrophone: '打开麦克风',
  cameraOff: '关闭摄像头',
  cameraOn: '打开摄像头',
  microphoneOff: '麦克风已关闭',
  controls: '通话控制',
  participants: (count) => `${count} 人`,
  enableSound: '点击开启声音',
  reconnecting: '与服务器的连接已断开，通话继续，正在重新连接…',
  alone: '正在等待其他人加入…',
  connectionInfo: '连接详情',
  candidateTypes: {
    host: '直连（局域网）',
    srflx: '直连（经 NAT）',
    prflx: '直连（经 NAT）',
    relay: '中继（TURN）',
  },
  roundTrip: (ms) => `往返 ${ms} 毫秒`,
  safetyCode: '安全码',
  safetyCodeHint: '和对方大声核对：两边的安全码相同，就说明中间没有人截听。',
  quality: { good: '连接良好', fair: '连接一般', poor: '连接较差' },
  unreachable: '无法连接',
  peerReconnecting: '正在重新连接…',
  dismiss: '关闭提示',
  layout: '布局',
  layouts: { grid: '宫格', speaker: '演讲者', sidebar: '侧边栏' },
  closeChat: '关闭聊天',
  camera: '摄像头',
  microphone: '麦克风',
  speaker: '扬声器',
  cameraNumber: (n) => `摄像头 ${n}`,
  microphoneNumber: (n) => `麦克风 ${n}`,
  speakerNumber: (n) => `扬声器 ${n}`,
  devices: '摄像头、麦克风和扬声器',
  cameraIsOff: '你的摄像头已关闭',
  microphoneLevel: '麦克风音量',
  pin: (name) => `置顶 ${name}`,
  unpin: (name) => `取消置顶 ${name}`,
  fullscreenTile: (name) => `全屏显示 ${name}`,
  fullscreen: '全屏',
  exitFullscreen: '退出全屏',
  announce: {
    joined: (name) => `${name} 加入了房间`,
    left: (name) => `${name} 离开了房间`,
    message: (name) => `来自 ${name} 的新消息`,
  },
  errors: {
    ...zhCNChat.errors,
    'permission-denied':
      '摄像头或麦克风权限被拒绝。你仍可收听和聊天；在浏览器中允许访问后重新加入，即可被看到和听到。',
    'no-device': '没有找到摄像头或麦克风。你仍可收听和聊天。',
    'media-failed': '无法启动摄像头或麦克风（是否被其他应用占用？）。',
    'room-full': '房间已满。',
    'server-unreachable': '无法连接房间服务器。请检查网络后重试。',
    unauthorized: '你无权进入这个房间。',
    'bad-room-id': '这不是有效的房间号。',
    'bad-ice-servers': 'ice-servers 设置无效，改用服务器的配置。',
    'bad-server': 'server 设置不是有效的 rtc-room 服务器地址。',
    'peer-unreachable': '无法连接到其中一位参与者。',
    'ice-failed': '无法通过任何网络路径连接到一位参与者（TURN 服务器可能拒绝了凭据）。',
    'signalling-lost': '与房间服务器的连接已断开。',
    'signalling-restored': '已重新连接到房间服务器。',
    'unsupported-browser': '此浏览器无法在这里进行视频通话（需要 HTTPS 和 WebRTC）。',
    internal: '出了点问题。',
  },
  chat: zhCNChat,
};

/** The languages the element speaks, by BCP 47 tag. */
export const LANGUAGES = { en, 'zh-CN': zhCN } as const;

export type Language = keyof typeof LANGUAGES;

/**
 * The table for a language tag: an exact match, else the same base language (`zh-TW` → `zh-CN`,
 * `en-GB` → `en`), else English.
 */
export function stringsFor(tag: string | null | undefined): Strings {
  if (!tag) return en;
  const exact = Object.keys(LANGUAGES).find((key) => key.toLowerCase() === tag.toLowerCase());
  if (exact) return LANGUAGES[exact as Language];
  const base = tag.split('-')[0].toLowerCase();
  const sameBase = Object.keys(LANGUAGES).find((key) => key.split('-')[0].toLowerCase() === base);
  return sameBase ? LANGUAGES[sameBase as Language] : en;
}
