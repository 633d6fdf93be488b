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
  /** In a large room media goes through the media server: no direct link for a code to prove. */
  safetyCodeViaServer: string;
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
  strongNoiseSuppression: string;
  /** Why the toggle above is disabled. */
  noiseSuppressionUnsupported: string;
  background: string;
  /** The background choices: none, blur, a picture from a file. */
  backgrounds: [string, string, string];
  /** Why the background choice is disabled. */
  backgroundUnsupported: string;
  /** The effect segments less often to keep up with the camera. */
  backgroundReduced: string;
  cameraIsOff: string;
  microphoneLevel: string;
  pin: (name: string) => string;
  unpin: (name: string) => string;
  fullscreenTile: (name: string) => string;
  fullscreen: string;
  exitFullscreen: string;
  startScreenShare: string;
  stopScreenShare: string;
  /** The name on a shared screen's tile. */
  screenOf: (name: string) => string;
  raiseHand: string;
  lowerHand: string;
  handRaised: string;
  /** The reaction menu's button. */
  react: string;
  /** The badge on a host's tile. */
  host: string;
  /** A host turned this visitor's microphone off. */
  mutedBy: (name: string) => string;
  /** Read out by screen readers as things happen in the room. */
  announce: {
    joined: (name: string) => string;
    left: (name: string) => string;
    message: (name: string) => string;
    hand: (name: string) => string;
  };
  errors: Record<RoomErrorCode, string>;
  /** The chat's sentences the room shows; the panel's own travel with it (chat-panel.strings.ts). */
  chat: {
    /** The BCP 47 tag times and emoji names are given in. */
    locale: string;
    /** The chat panel as a whole. */
    title: string;
    refusedTooLarge: (maxBytes: number) => string;
    refusedNotImage: string;
    /** Pictures cannot be sent now (the code that sends them did not load). */
    refusedUnavailable: string;
    unread: (count: number) => string;
    /** Why sending a message or picture failed, by code. */
    errors: Record<ChatErrorCode, string>;
  };
}

// The refusals' texts come with the error texts: see loadErrorStrings().
const enChat = {
  locale: 'en',
  title: 'Chat',
  unread: (count) => (count === 1 ? '1 unread message' : `${count} unread messages`),
  // Filled by loadErrorStrings() before the first one shows.
  errors: {} as Record<ChatErrorCode, string>,
} as Strings['chat'];

// `mutedBy` comes with the error texts (see loadErrorStrings()); where they failed to load, the
// notice shows without its words.
export const en = {
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
  safetyCodeViaServer: 'Safety code: not applicable (media server)',
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
  strongNoiseSuppression: 'Strong noise suppression',
  noiseSuppressionUnsupported: 'This browser lacks AudioWorklet or WebAssembly',
  background: 'Background',
  backgrounds: ['None', 'Blur', 'Picture…'],
  backgroundUnsupported: 'Not in this browser',
  backgroundReduced: 'Simplified to keep up',
  cameraIsOff: 'Your camera is off',
  microphoneLevel: 'Microphone level',
  pin: (name) => `Pin ${name}`,
  unpin: (name) => `Unpin ${name}`,
  fullscreenTile: (name) => `Show ${name} full screen`,
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  startScreenShare: 'Share your screen',
  stopScreenShare: 'Stop sharing your screen',
  screenOf: (name) => `${name}’s screen`,
  raiseHand: 'Raise your hand',
  lowerHand: 'Lower your hand',
  handRaised: 'Hand raised',
  react: 'React',
  host: 'Host',
  announce: {
    joined: (name) => `${name} joined`,
    left: (name) => `${name} left`,
    message: (name) => `New message from ${name}`,
    hand: (name) => `${name} raised a hand`,
  },
  // Filled by loadErrorStrings() before the first one shows: most visits show none.
  errors: {} as Record<RoomErrorCode, string>,

  chat: enChat,
} as Strings;

let englishErrors: Promise<void> | null = null;

/**
 * Loads the English error texts into the table, a chunk of their own, with the other texts of
 * what went wrong (a picture refused, the microphone turned off by a host); null once they are
 * in. Whatever may show one waits for it: the element before it renders an error or a notice,
 * the chat panel and the picture intake before they say why a file was refused.
 */
export function loadErrorStrings(): Promise<void> | null {
  if (en.errors.internal) return null;
  englishErrors ??= import('./errors-en.js').then(
    (module) => {
      Object.assign(en.chat, module.chatRefusals);
      Object.assign(en.chat.errors, module.chatErrors);
      Object.assign(en.errors, module.chatErrors, module.errors);
      en.mutedBy = module.mutedBy;
    },
    // The next error tries again; meanwhile it shows without its text.
    () => void (englishErrors = null),
  );
  return englishErrors;
}

/** The languages the element speaks, by BCP 47 tag. */
export type Language = 'en' | 'zh-CN';

const TAGS: readonly Language[] = ['en', 'zh-CN'];

/** Tables other than English load when a visitor needs them, each a chunk of its own. */
const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<Strings>> = {
  'zh-CN': () => import('./zh-cn.js').then((module) => module.zhCN),
};

// Loaded tables are immutable data, shared by every element of the page like the module itself.
const loaded = new Map<Language, Strings>([['en', en]]);
const loading = new Map<Language, Promise<void>>();

/**
 * The language for a tag: an exact match, else the same base language (`zh-TW` → `zh-CN`,
 * `en-GB` → `en`), else English.
 */
export function languageFor(tag: string | null | undefined): Language {
  if (!tag) return 'en';
  const exact = TAGS.find((key) => key.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const base = tag.split('-')[0].toLowerCase();
  return TAGS.find((key) => key.split('-')[0].toLowerCase() === base) ?? 'en';
}

/** The table for a language tag (see `languageFor`), English until `loadStrings` has loaded it. */
export function stringsFor(tag: string | null | undefined): Strings {
  return loaded.get(languageFor(tag)) ?? en;
}

/** Loads the table for a tag; null when it is there already (English always is). */
export function loadStrings(tag: string | null | undefined): Promise<void> | null {
  const language = languageFor(tag);
  if (language === 'en' || loaded.has(language)) return null;
  let pending = loading.get(language);
  if (!pending) {
    pending = LOADERS[language]().then(
      (table) => void loaded.set(language, table),
      // A table that fails to load leaves English, and the next render tries again.
      () => void loading.delete(language),
    );
    loading.set(language, pending);
  }
  return pending;
}
