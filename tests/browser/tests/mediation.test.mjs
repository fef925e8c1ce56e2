// 行政调解 (Articles 11–13): a citizen with a dispute finds who mediates it
// and how to reach them, from the menu, on a phone, without JavaScript.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, withPage as inPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { DISPUTE, MEDIATION } from '../lib/pages.mjs';

const site = useSite();

const withPage = (fn, options = {}) => inPage(site.browser, options, fn);

describe('行政调解', () => {
  test('from the home page to the eight kinds, then to who mediates labour disputes', async () => {
    await withPage(async (page) => {
      await visit(page, site.base);
      await page.click('a[href$="/mediation/"]');
      await page.waitForURL(/\/mediation\/$/);
      const kinds = await page.$$eval('.dispute-card h2 a', (as) => as.map((a) => a.textContent.trim()));
      assert.deepEqual(kinds, [
        '学生伤害事故纠纷', '治安管理纠纷', '交通事故损害赔偿纠纷', '土地权属纠纷',
        '林地权属纠纷', '劳动争议', '消费者权益投诉', '其他民事纠纷',
      ]);
      await page.click('.dispute-card h2 a:text-is("劳动争议")');
      await page.waitForURL(new RegExp(`${DISPUTE}$`));
      const facts = await page.evaluate(() => ({
        h1: document.querySelector('main h1').textContent.trim(),
        who: [...document.querySelectorAll('.agency-contact h3 a')].map((a) => a.textContent.trim()),
        tel: [...document.querySelectorAll('.agency-contact a[href^="tel:"]')].map((a) => a.getAttribute('href')),
        headings: [...document.querySelectorAll('main h2')].map((h) => h.textContent.trim()),
      }));
      assert.equal(facts.h1, '劳动争议');
      assert.deepEqual(facts.who, ['市人力资源和社会保障局']);
      assert.deepEqual(facts.tel, ['tel:000012333']);
      assert.deepEqual(facts.headings, ['由谁调解', '如何申请', '咨询方式', '法律依据']);
    });
  });

  test('on a phone without JavaScript: one column, nothing sideways, phone numbers dialable', async () => {
    await withPage(async (page) => {
      for (const path of [MEDIATION, DISPUTE]) {
        await visit(page, site.base + path);
        const m = await page.evaluate(() => ({
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          cards: [...document.querySelectorAll('.dispute-card')].map((c) => Math.round(c.getBoundingClientRect().left)),
        }));
        assert.ok(m.overflow <= 0, `${path}: no sideways scrolling (${m.overflow}px)`);
        assert.ok(new Set(m.cards).size <= 1, `${path}: the kinds stack in one column`);
      }
      const tel = await page.$eval('.agency-contact a[href^="tel:"]', (a) => a.getBoundingClientRect().height);
      assert.ok(tel >= 24, `the phone link is a target of at least 24px (${tel})`);
    }, { javaScriptEnabled: false, viewport: { width: 375, height: 740 }, isMobile: true });
  });

  test('every document of an agency says how to reach it', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}lists/scjg/2024-exempt/`);
      const c = await page.evaluate(() => {
        const s = document.querySelector('.agency-contact');
        return s && {
          heading: s.querySelector('h2').textContent.trim(),
          labelled: document.getElementById(s.getAttribute('aria-labelledby')) === s.querySelector('h2'),
          terms: [...s.querySelectorAll('dt')].map((d) => d.textContent.trim()),
        };
      });
      assert.ok(c, 'a contact block');
      assert.equal(c.heading, '咨询与联系：市市场监督管理局');
      assert.ok(c.labelled, 'the section is labelled by its heading');
      assert.deepEqual(c.terms, ['电话', '地址', '办公时间']);
    });
  });
});
