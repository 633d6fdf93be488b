// The chat panel's own sentences in every language, in the panel's chunk: a visitor who never
// opens the chat downloads none of them.

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
}

const en: ChatPanelStrings = {
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
};

const zhCN: ChatPanelStrings = {
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
};

/** The panel's sentences, by language, for a locale the room's strings give. */
export const CHAT_PANEL_STRINGS: Readonly<Record<'en' | 'zh-CN', ChatPanelStrings>> = {
  en,
  'zh-CN': zhCN,
};

/** The panel's sentences for a locale (English for any other). */
export const chatPanelStringsFor = (locale: string): ChatPanelStrings =>
  locale === 'zh-CN' ? zhCN : en;
