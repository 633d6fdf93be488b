import { expect } from '@open-wc/testing';
import { CHAT_ERROR_CODES } from '../../../src/chat/chat-errors.js';
import { LANGUAGES } from '../../../src/i18n/languages.js';

describe('chat strings', () => {
  for (const [tag, table] of Object.entries(LANGUAGES)) {
    describe(`the ${tag} table`, () => {
      it('has a sentence for every chat error code and no others', () => {
        expect(Object.keys(table.chat.errors)).to.have.members([...CHAT_ERROR_CODES]);
        for (const code of CHAT_ERROR_CODES)
          expect(table.chat.errors[code], code).to.have.length.above(0);
      });

      it('puts the numbers in the sentences that have them', () => {
        expect(table.chat.sending(42)).to.contain('42');
        expect(table.chat.receiving(7)).to.contain('7');
        expect(table.chat.unread(3)).to.contain('3');
        expect(table.chat.refusedTooLarge(8 * 1024 * 1024)).to.contain('8');
        expect(table.chat.pictureAlt('Ada')).to.contain('Ada');
        expect(table.chat.openPicture('Ada')).to.contain('Ada');
      });

      it('gives a time of day', () => {
        expect(table.chat.time(Date.UTC(2024, 0, 2, 15, 4))).to.match(/\d{1,2}:04/);
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
  });
});
