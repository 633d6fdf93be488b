/** One emoji of the chat's picker, with its name in each language the element speaks. */
export interface Emoji {
  readonly char: string;
  readonly names: { readonly en: string; readonly 'zh-CN': string };
}

/** Emoji per row of the picker (arrow up and down move by this much). */
export const EMOJI_COLUMNS = 8;

/** An emoji's name in `locale`, English when the language is not one the table has. */
export function emojiName(emoji: Emoji, locale: string): string {
  return locale.toLowerCase().startsWith('zh') ? emoji.names['zh-CN'] : emoji.names.en;
}

/**
 * Where focus goes in the picker from `index` on `key` (arrows move in the grid, Home and End go
 * to the first and last), or null for a key the picker does not move on.
 */
export function emojiIndexAfter(index: number, key: string, count: number): number | null {
  const columns = EMOJI_COLUMNS;
  switch (key) {
    case 'ArrowRight':
      return Math.min(count - 1, index + 1);
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'ArrowDown':
      return index + columns < count ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
