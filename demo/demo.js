// The demo's only logic: a language picker and a log of the element's events.
const room = document.querySelector('rtc-room');
const picker = document.querySelector('#lang');

picker.value = navigator.language.startsWith('zh') ? 'zh-CN' : 'en';
room.lang = picker.value;
picker.addEventListener('change', () => (room.lang = picker.value));

for (const type of ['rtc-join', 'rtc-leave', 'rtc-peer-join', 'rtc-peer-leave', 'rtc-error']) {
  room.addEventListener(type, (event) => console.info(type, event.detail));
}
