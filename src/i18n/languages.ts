// Every table at once, for tests and tools; the element loads them one by one (see strings.ts).
import { en } from './strings.js';
import { zhCN } from './zh-cn.js';

/** The languages the element speaks, by BCP 47 tag, with their tables. */
export const LANGUAGES = { en, 'zh-CN': zhCN } as const;
