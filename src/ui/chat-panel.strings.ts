// The chat panel's own sentences in every language, in the panel's chunk: a visitor who never
// opens the chat downloads none of them.
import type { FileFailure } from '../chat/chat-types.js';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A byte count in the largest unit (of 1024) that keeps it at 1 or more, in `locale`. */
function sizeIn(locale: string, bytes: number): string {
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** What the panel itself says: its list, its field and buttons, its messages' details. */
export interface ChatPanelStrings {
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
  /** A file's size, in the largest unit that keeps it above 1. */
  fileSize: (bytes: number) => string;
  download: (name: string) => string;
  cancelDownload: (name: string) => string;
  /** The link that saves a downloaded file. */
  save: (name: string) => string;
  /** On the visitor's own file. */
  fileOffered: string;
  fileUnavailable: string;
  /** Why a download failed. */
  fileFailed: Record<FileFailure, string>;
  retry: (name: string) => string;
  /** The buttons' visible words: download, stop, download again. */
  get: string;
  cancel: string;
  again: string;
  fileTooLarge: (maxBytes: number) => string;
}

const en: ChatPanelStrings = {
  log: 'Messages',
  empty: 'No messages yet.',
  inputLabel: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  attach: 'Send a picture or file',
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
  fileSize: (bytes) => sizeIn('en', bytes),
  download: (name) => `Download ${name}`,
  cancelDownload: (name) => `Stop downloading ${name}`,
  save: (name) => `Save ${name}`,
  fileOffered: 'Offered to the room: each person downloads it from you while you are here.',
  fileUnavailable: 'Its sender is not in the room: it cannot be downloaded.',
  fileFailed: {
    corrupt: 'The file that came did not match its checksum and was discarded.',
    'bad-size': 'The file that came did not match its size and was discarded.',
    timeout: 'The download stalled and was stopped.',
    refused: 'The sender could not send it now.',
    'too-large': 'This file is larger than this room accepts.',
  },
  retry: (name) => `Download ${name} again`,
  get: 'Download',
  cancel: 'Stop',
  again: 'Try again',
  fileTooLarge: (maxBytes) => `That file is too large: at most ${sizeIn('en', maxBytes)}.`,
};

const zhCN: ChatPanelStrings = {
  log: '消息',
  empty: '还没有消息。',
  inputLabel: '消息',
  placeholder: '输入消息…',
  send: '发送',
  attach: '发送图片或文件',
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
  fileSize: (bytes) => sizeIn('zh-CN', bytes),
  download: (name) => `下载 ${name}`,
  cancelDownload: (name) => `停止下载 ${name}`,
  save: (name) => `保存 ${name}`,
  fileOffered: '已分享给房间：你在房间里时，每个人都可以从你这里下载。',
  fileUnavailable: '发送者不在房间里，无法下载。',
  fileFailed: {
    corrupt: '收到的文件与校验值不符，已丢弃。',
    'bad-size': '收到的文件与大小不符，已丢弃。',
    timeout: '下载停滞，已停止。',
    refused: '发送者现在无法发送。',
    'too-large': '这个文件超过了房间允许的大小。',
  },
  retry: (name) => `重新下载 ${name}`,
  get: '下载',
  cancel: '停止',
  again: '重试',
  fileTooLarge: (maxBytes) => `文件太大：最多 ${sizeIn('zh-CN', maxBytes)}。`,
};

/** The panel's sentences, by language, for a locale the room's strings give. */
export const CHAT_PANEL_STRINGS: Readonly<Record<'en' | 'zh-CN', ChatPanelStrings>> = {
  en,
  'zh-CN': zhCN,
};

/** The panel's sentences for a locale (English for any other). */
export const chatPanelStringsFor = (locale: string): ChatPanelStrings =>
  locale === 'zh-CN' ? zhCN : en;
