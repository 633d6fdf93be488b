// The demo's only logic: a language picker, the embed snippet for this server, and a log of
// the element's events.

/**
 * The element of this page that `selector` finds: the page's markup has each one.
 * @template {Element} T
 * @param {string} selector
 * @param {{ new (): T }} type
 * @returns {T}
 */
function pageElement(selector, type) {
  const element = document.querySelector(selector);
  if (!(element instanceof type)) throw new Error(`the demo page has no ${selector}`);
  return element;
}

const room = pageElement('rtc-room', HTMLElement);
const picker = pageElement('#lang', HTMLSelectElement);
const snippet = pageElement('#snippet', HTMLElement);
const copyButton = pageElement('#copy-snippet', HTMLButtonElement);
const copyStatus = pageElement('#copy-status', HTMLElement);

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
    await navigator.clipboard.writeText(snippet.textContent ?? '');
    copyStatus.textContent = 'Copied.';
  } catch {
    // No clipboard permission: select the text so the visitor can copy it by hand.
    getSelection()?.selectAllChildren(snippet);
    copyStatus.textContent = 'Selected: press Ctrl+C or ⌘C to copy.';
  }
});

for (const type of /** @type {const} */ ([
  'rtc-join',
  'rtc-leave',
  'rtc-peer-join',
  'rtc-peer-leave',
  'rtc-error',
])) {
  room.addEventListener(type, (event) => console.info(type, event.detail));
}
