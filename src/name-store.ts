// The visitor's display name, kept in the page's storage so the next visit knows it.
const NAME_KEY = 'rtc-room:name';

/** The name this visitor last joined with, or '' (storage can be refused: a sandboxed frame, a private window). */
export function rememberedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Keeps a non-empty name for the next visit, where storage allows it. */
export function rememberName(name: string): void {
  try {
    if (name) localStorage.setItem(NAME_KEY, name);
  } catch {
    // Not kept; the visitor types it again next time.
  }
}
