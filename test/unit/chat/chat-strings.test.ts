import { expect } from '@open-wc/testing';
import { CHAT_ERROR_CODES } from '../../../src/chat/chat-errors.js';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import { loadErrorStrings } from '../../../src/i18n/strings.js';
import { CHAT_PANEL_STRINGS, chatPanelStringsFor } from '../../../src/ui/chat-panel.strings.js';

describe('chat strings', () => {
  // English's errors and refusals load before the first one shows.
  before(() => loadErrorStrings());

  for (const [tag, table] of Object.entries(LANGUAGES)) {
    describe(`the ${tag} table`, () => {
      it('has a sentence for every chat error code and no others', () => {
        expect(Object.keys(table.chat.errors)).to.have.members([...CHAT_ERROR_CODES]);
        for (const code of CHAT_ERROR_CODES)
          expect(table.chat.errors[code], code).to.have.length.above(0);
      });

      it('puts the numbers in the sentences that have them', () => {
        const panel = CHAT_PANEL_STRINGS[tag as keyof typeof CHAT_PANEL_STRINGS];
        expect(panel.sending(42)).to.contain('42');
        expect(panel.receiving(7)).to.contain('7');
        expect(table.chat.unread(3)).to.contain('3');
        expect(table.chat.refusedTooLarge(8 * 1024 * 1024)).to.contain('8');
        expect(panel.pictureAlt('Ada')).to.contain('Ada');
        expect(panel.openPicture('Ada')).to.contain('Ada');
      });

      it('gives a time of day', () => {
        const panel = CHAT_PANEL_STRINGS[tag as keyof typeof CHAT_PANEL_STRINGS];
        expect(panel.time(Date.UTC(2024, 0, 2, 15, 4))).to.match(/\d{1,2}:04/);
      });

      it('has the panel’s own sentences, in the same language', () => {
        expect(chatPanelStringsFor(table.chat.locale)).to.equal(
          CHAT_PANEL_STRINGS[tag as keyof typeof CHAT_PANEL_STRINGS],
        );
      });

      it('is the language it says it is', () => {
        expect(table.chat.locale).to.equal(tag);
      });
    });
  }

  it('really translates the zh-CN chat strings rather than copying English', () => {
    const en = LANGUAGES.en.chat;
    const zh = LANGUAGES['zh-CN'].chat;
    const same = (Object.keys(en) as Array<keyof typeof en>).filter(
      (key) => key !== 'locale' && typeof en[key] === 'string' && en[key] === zh[key],
    );
    expect(same).to.deep.equal([]);
    expect(
      Object.values(zh.errors).filter((s) => Object.values(en.errors).includes(s)),
    ).to.deep.equal([]);
    expect(zh.unread(2)).to.not.equal(en.unread(2));
    const enPanel = CHAT_PANEL_STRINGS.en;
    const zhPanel = CHAT_PANEL_STRINGS['zh-CN'];
    const samePanel = (Object.keys(enPanel) as Array<keyof typeof enPanel>).filter(
      (key) => typeof enPanel[key] === 'string' && enPanel[key] === zhPanel[key],
    );
    expect(samePanel).to.deep.equal([]);
    expect(zhPanel.time(0)).to.not.equal(enPanel.time(0));
  });
});
