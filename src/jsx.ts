// JSX types for <rtc-room> in React 19, which sets properties and listens to custom events on
// custom elements itself: `import 'rtc-room/jsx'` once, then
// `<rtc-room room-id=… onrtc-join=…>` type-checks. Attributes, properties and events are read
// from the element and its event map.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { RtcRoom, RtcRoomEventMap } from './index.js';

/** The element's properties that an attribute mirrors, by property name. */
export type RtcRoomAttributeProperty =
  | 'roomId'
  | 'server'
  | 'name'
  | 'layout'
  | 'theme'
  | 'iceServers'
  | 'token'
  | 'iceTransportPolicy'
  | 'muted'
  | 'videoOff'
  | 'noPrejoin'
  | 'noChat'
  | 'maxImageSize'
  | 'maxFileSize'
  | 'noiseSuppression'
  | 'background'
  | 'backgroundAssets'
  | 'lang';

/** `roomId` → `room-id`: how Lit names the attribute of a property here. */
type DashCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${DashCase<Tail>}`
  : S;

/** Attributes as written in markup (`room-id`, `no-prejoin`), each typed as its property. */
export type RtcRoomAttributes = {
  [K in RtcRoomAttributeProperty as DashCase<K>]?: NonNullable<RtcRoom[K]>;
};

/** The same settings as properties (`roomId`, `noPrejoin`), which React 19 sets directly. */
export type RtcRoomProperties = Partial<Pick<RtcRoom, RtcRoomAttributeProperty>>;

/** `onrtc-join`, `onrtc-message`, …: one listener per event of the element's event map. */
export type RtcRoomEventListeners = {
  [K in keyof RtcRoomEventMap as `on${K}`]?: (event: RtcRoomEventMap[K]) => void;
};

/** Everything `<rtc-room>` takes in React 19's JSX. */
export type RtcRoomJsxProps = DetailedHTMLProps<HTMLAttributes<RtcRoom>, RtcRoom> &
  RtcRoomAttributes &
  RtcRoomProperties &
  RtcRoomEventListeners;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'rtc-room': RtcRoomJsxProps;
    }
  }
}
