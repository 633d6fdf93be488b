// <RtcRoom> for React 18, which sets only attributes on custom elements and has no custom
// events: @lit/react's wrapper sets properties and adds `onRtcJoin`, `onRtcMessage`, … props.
// React 19 needs none of this (see `rtc-room/jsx`).
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { RtcRoom as RtcRoomElement, type RtcRoomEventMap } from './index.js';

/** `rtc-peer-join` → `RtcPeerJoin`. */
type PascalCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${PascalCase<Tail>}`
  : Capitalize<S>;

/** The wrapper's event props (`onRtcJoin`, …), each with its event's type from the map. */
export type RtcRoomReactEvents = {
  [K in keyof RtcRoomEventMap as `on${PascalCase<K>}`]: EventName<RtcRoomEventMap[K]>;
};

/** Every event of the element, once: the type demands each name of the event map. */
const EVENT_TYPES: Record<keyof RtcRoomEventMap, true> = {
  'rtc-join': true,
  'rtc-leave': true,
  'rtc-peer-join': true,
  'rtc-peer-leave': true,
  'rtc-state': true,
  'rtc-error': true,
  'rtc-message': true,
  'rtc-speaker': true,
  'rtc-token-expired': true,
  'rtc-room-lock': true,
  'rtc-knock': true,
  'rtc-reaction': true,
  'rtc-mode': true,
};

const events = Object.fromEntries(
  Object.keys(EVENT_TYPES).map((type) => [
    `on${type.replace(/(?:^|-)([a-z])/g, (_match, letter: string) => letter.toUpperCase())}`,
    type,
  ]),
) as RtcRoomReactEvents;

/** `<rtc-room>` as a React component: `<RtcRoom roomId="…" onRtcJoin={…} />`. */
export const RtcRoom = createComponent({
  react: React,
  tagName: 'rtc-room',
  elementClass: RtcRoomElement,
  events,
  displayName: 'RtcRoom',
});
