// The demo's only logic: a language picker, the embed snippet for this server, and a log of
// the element's events.
const room = document.querySelector('rtc-room');
const picker = document.querySelector('#lang');
const snippet = document.querySelector('#snippet');
const copyButton = document.querySelector('#copy-snippet');
const copyStatus = document.querySelector('#copy-status');

picker.value = navigator.language.startsWith('zh') ? 'zh-CN' : 'en';
room.lang = picker.value;
picker.addEventListener('change', () => (room.lang = picker.value));

// A room of its own for the page that pastes the snippet, unless a room is open here.
const newRoomId = crypto.randomUUID();
function showSnippet() {
  const roomId = room.getAttribute('room-id') || newRoomId;
  snippet.textContent =
    `<script type="module" src="${location.origin}/rtc-room.js"></script>\n` +
    `<rtc-room room-id="${roomId}"></rtc-room>`;
}
showSnippet();
room.addEventListener('rtc-state', showSnippet);

copyButton.addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(snippet.textContent);
    copyStatus.textContent = 'Copied.';
  } catch {
    // No clipboard permission: select the text so the visitor can copy it by hand.
    getSelection().selectAllChildren(snippet);
    copyStatus.textContent = 'Selected: press Ctrl+C or ⌘C to copy.';
  }
});

for (const type of ['rtc-join', 'rtc-leave', 'rtc-peer-join', 'rtc-peer-leave', 'rtc-error']) {
  room.addEventListener(type, (event) => console.info(type, event.detail));
}
