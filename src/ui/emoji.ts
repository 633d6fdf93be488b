/** One emoji of the chat's picker, with its name in each language the element speaks. */
export interface Emoji {
  readonly char: string;
  readonly names: { readonly en: string; readonly 'zh-CN': string };
}

/** The picker's emoji, in the order shown (rows of `EMOJI_COLUMNS`). */
export const EMOJI: readonly Emoji[] = [
  { char: '😀', names: { en: 'grinning face', 'zh-CN': '笑脸' } },
  { char: '😂', names: { en: 'face with tears of joy', 'zh-CN': '笑哭' } },
  { char: '🤣', names: { en: 'rolling on the floor laughing', 'zh-CN': '笑翻了' } },
  { char: '😊', names: { en: 'smiling face', 'zh-CN': '微笑' } },
  { char: '😍', names: { en: 'heart eyes', 'zh-CN': '花痴' } },
  { char: '😉', names: { en: 'winking face', 'zh-CN': '眨眼' } },
  { char: '😎', names: { en: 'face with sunglasses', 'zh-CN': '酷' } },
  { char: '😇', names: { en: 'smiling face with halo', 'zh-CN': '天使' } },
  { char: '🤔', names: { en: 'thinking face', 'zh-CN': '思考' } },
  { char: '😮', names: { en: 'surprised face', 'zh-CN': '惊讶' } },
  { char: '😅', names: { en: 'grinning face with sweat', 'zh-CN': '尴尬' } },
  { char: '🙄', names: { en: 'face with rolling eyes', 'zh-CN': '翻白眼' } },
  { char: '😢', names: { en: 'crying face', 'zh-CN': '流泪' } },
  { char: '😭', names: { en: 'loudly crying face', 'zh-CN': '大哭' } },
  { char: '😡', names: { en: 'angry face', 'zh-CN': '生气' } },
  { char: '😴', names: { en: 'sleeping face', 'zh-CN': '睡觉' } },
  { char: '🥳', names: { en: 'partying face', 'zh-CN': '派对' } },
  { char: '👍', names: { en: 'thumbs up', 'zh-CN': '赞' } },
  { char: '👎', names: { en: 'thumbs down', 'zh-CN': '踩' } },
  { char: '👏', names: { en: 'clapping hands', 'zh-CN': '鼓掌' } },
  { char: '🙏', names: { en: 'folded hands', 'zh-CN': '拜托' } },
  { char: '👋', names: { en: 'waving hand', 'zh-CN': '挥手' } },
  { char: '💪', names: { en: 'flexed biceps', 'zh-CN': '加油' } },
  { char: '🤝', names: { en: 'handshake', 'zh-CN': '握手' } },
  { char: '✌️', names: { en: 'victory hand', 'zh-CN': '胜利' } },
  { char: '👀', names: { en: 'eyes', 'zh-CN': '眼睛' } },
  { char: '❤️', names: { en: 'red heart', 'zh-CN': '红心' } },
  { char: '🔥', names: { en: 'fire', 'zh-CN': '火' } },
  { char: '🎉', names: { en: 'party popper', 'zh-CN': '庆祝' } },
  { char: '✨', names: { en: 'sparkles', 'zh-CN': '闪亮' } },
  { char: '⭐', names: { en: 'star', 'zh-CN': '星星' } },
  { char: '💯', names: { en: 'hundred points', 'zh-CN': '满分' } },
  { char: '✅', names: { en: 'check mark', 'zh-CN': '完成' } },
  { char: '❌', names: { en: 'cross mark', 'zh-CN': '错误' } },
  { char: '❓', names: { en: 'question mark', 'zh-CN': '问号' } },
  { char: '🚀', names: { en: 'rocket', 'zh-CN': '火箭' } },
  { char: '☕', names: { en: 'hot beverage', 'zh-CN': '咖啡' } },
  { char: '🍕', names: { en: 'pizza', 'zh-CN': '披萨' } },
  { char: '🎂', names: { en: 'birthday cake', 'zh-CN': '生日蛋糕' } },
  { char: '🌈', names: { en: 'rainbow', 'zh-CN': '彩虹' } },
];

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
export function emojiIndexAfter(index: number, key: string, count = EMOJI.length): number | null {
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
