// What the visitor chose (the display name, the background) and the host keys of their rooms,
// kept in the page's storage so the next visit knows them.
export type Remembered = 'name' | 'background' | `host:${string}`;

/** What this visitor last chose, or '' (storage can be refused: a sandboxed frame, a private window). */
export function remembered(key: Remembered): string {
  try {
    return localStorage.getItem(`rtc-room:${key}`) ?? '';
  } catch {
    return '';
  }
}

/** Keeps a non-empty choice for the next visit, where storage allows it (and has room). */
export function remember(key: Remembered, value: string): void {
  try {
    if (value) localStorage.setItem(`rtc-room:${key}`, value);
  } catch {
    // Not kept; the visitor chooses again next time.
  }
}
