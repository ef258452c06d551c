// A newcomer's whole journey through the knowledge test in a real browser, on a phone-sized
// screen: register as a civil servant of UBND huyện Kế Sách, read the rules, take the quiz with
// the countdown in view, reload mid-quiz and find the answers kept, submit, see the score, the
// rank and the public leaderboard. Once with JavaScript (autosave) and once without (one form).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { DESKTOP, assertAccessible, launch, openPage, pageWeight, screenshot } from './support/browser.mjs';
import { Server } from './support/server.mjs';

const CONTEST = 'Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2021';
const UNIT = 'UBND huyện Kế Sách';
// What a participant's page may weigh with its stylesheet and scripts (slow 3G phones).
const PAGE_BUDGET = 50 * 1024;
const RANKING_RULE = 'Thí sinh được xếp hạng theo thứ tự ưu tiên: (1) số câu trả lời đúng nhiều hơn';

let server;
let browser;

before(async () => {
  server = await Server.start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0, 'the server stops cleanly');
});

/** The visible text of the page's main content. */
async function mainText(page) {
  return page.locator('main').innerText();
}

/** Checks the page's accessibility and weight (when scripts run) and saves its screenshot. */
async function check(page, name, { javaScript = true } = {}) {
  if (javaScript) {
    await assertAccessible(page, name);
    const weight = await pageWeight(page);
    assert.ok(weight > 0 && weight < PAGE_BUDGET, `${name} weighs ${weight} bytes`);
  }
  await screenshot(page, name);
}

async function register(page, { name, phone, js }) {
  await page.goto(`${server.url}/`);
  assert.equal(await page.locator('h1').innerText(), CONTEST);
  const home = await mainText(page);
  assert.match(home, /đang diễn ra/i);
  assert.match(home, /Thời gian: từ \d\d:\d\d \d\d\/\d\d\/\d{4} đến \d\d:\d\d \d\d\/\d\d\/\d{4}/);
  assert.match(await page.locator('footer').innerText(), /02993\.624\.779/);
  await check(page, `${js ? 'phone' : 'nojs'}-01-home`, { javaScript: js });

  await page.getByRole('link', { name: 'Đăng ký dự thi' }).click();
  await page.waitForURL('**/dang-ky');
  await page.getByLabel('Họ và tên').fill(name);
  await page.getByLabel('Số điện thoại (dùng để đăng nhập)').fill(phone);
  await page.getByLabel('Đơn vị công tác').selectOption({ label: UNIT });
  await page.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill('matkhau-ke-sach');
  await check(page, `${js ? 'phone' : 'nojs'}-02-register`, { javaScript: js });
  await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await page.waitForURL('**/ho-so**');
  const profile = await mainText(page);
  assert.ok(profile.includes(name), profile);
  assert.ok(profile.includes(UNIT), profile);
}

async function readRules(page, js) {
  await page.getByRole('navigation').getByRole('link', { name: 'Thể lệ' }).click();
  await page.waitForURL('**/the-le');
  const rules = await mainText(page);
  assert.ok(rules.includes('Thể lệ phần thi kiến thức'), rules);
  assert.ok(rules.includes(RANKING_RULE), rules);
  assert.match(rules, /10 câu hỏi/);
  assert.match(rules, /10 phút/);
  await check(page, `${js ? 'phone' : 'nojs'}-03-rules`, { javaScript: js });
}

async function start(page, js) {
  await page.getByRole('navigation').getByRole('link', { name: 'Vào thi' }).click();
  await page.waitForURL('**/thi');
  await check(page, `${js ? 'phone' : 'nojs'}-04-start`, { javaScript: js });
  await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await page.waitForURL(/\/thi\/\d+$/);
  assert.equal(await page.locator('fieldset.question').count(), 10);
  const clock = page.locator('#countdown');
  await clock.waitFor({ state: 'visible' });
  assert.match(await clock.innerText(), /^(09:[0-5]\d|10:00)$/);
  return new URL(page.url()).pathname;
}

/** Chooses the `choice`-th option (0-based) of questions [from, to); returns name -> value. */
async function answer(page, from, to, choice) {
  const chosen = {};
  const questions = page.locator('fieldset.question');
  for (let i = from; i < to; ++i) {
    const radio = questions.nth(i).locator('input[type="radio"]').nth(choice);
    await radio.check();
    chosen[await radio.getAttribute('name')] = await radio.getAttribute('value');
  }
  return chosen;
}

async function assertChecked(page, chosen) {
  for (const [name, value] of Object.entries(chosen)) {
    assert.ok(
      await page.locator(`input[name="${name}"][value="${value}"]`).isChecked(),
      `${name}=${value} is still chosen after the reload`,
    );
  }
  assert.equal(await page.locator('input[type="radio"]:checked').count(), Object.keys(chosen).length);
}

/** "Nộp bài" asks first: a dialog with JavaScript, the server's page without; both sum up. */
async function askToSubmit(page, js, answered, shot) {
  await page.getByRole('button', { name: 'Nộp bài' }).click();
  if (js) {
    const dialog = page.getByRole('dialog', { name: 'Nộp bài?' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(`Bạn đã trả lời ${answered}/10 câu\\.`));
    if (shot) await check(page, shot);
    return dialog;
  }
  await page.waitForURL(/\/thi\/\d+\/nop$/);
  assert.equal(await page.locator('main h1').innerText(), 'Nộp bài?');
  assert.match(await mainText(page), new RegExp(`Bạn đã trả lời ${answered}/10 câu\\.`));
  if (shot) await check(page, shot, { javaScript: false });
  return page.locator('main');
}

async function submitAndSeeResult(page, name, js) {
  const asked = await askToSubmit(page, js, 10, `${js ? 'phone' : 'nojs'}-05c-submit-asks`);
  assert.ok(!(await asked.innerText()).includes('chưa trả lời'), 'nothing left unanswered');
  await asked.getByRole('button', { name: 'Nộp bài' }).click();
  await page.waitForURL(/\/thi\/\d+\/ket-qua$/);
  const result = await mainText(page);
  assert.ok(result.includes('Kết quả bài thi'), result);
  assert.match(result, /Số câu đúng: \d+\/10/);
  assert.match(result, /Thời gian làm bài: /);
  assert.match(result, /Thứ hạng hiện tại: \d+/);
  assert.ok(result.includes(RANKING_RULE), result);
  // The default rules show the score only until the contest closes.
  assert.ok(result.includes('Đáp án và kết quả từng câu sẽ được công bố sau khi hội thi kết thúc.'));
  assert.ok(!result.includes('(đáp án)'), 'no answer key before the contest closes');
  await check(page, `${js ? 'phone' : 'nojs'}-06-result`, { javaScript: js });

  await page.getByRole('link', { name: 'Bảng xếp hạng' }).first().click();
  await page.waitForURL('**/xep-hang');
  const board = await mainText(page);
  assert.match(board, /Thứ hạng của bạn: \d+/);
  const row = page.locator('tbody tr', { hasText: name });
  assert.equal(await row.count(), 1, board);
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells[2], UNIT);
  assert.ok(!/\d/.test(cells[1] + cells[2]), 'no digit of a phone number in public');
  await check(page, `${js ? 'phone' : 'nojs'}-07-leaderboard`, { javaScript: js });
}

test('with JavaScript: countdown, autosave, answers kept across a reload', async () => {
  const { context, page, problems } = await openPage(browser);
  const name = 'Nguyễn Thị Thu Hà';
  await register(page, { name, phone: '0918000001', js: true });
  await readRules(page, true);
  const quizPath = await start(page, true);
  assert.ok(!(await page.locator('#manual-save').isVisible()), 'autosave works: no manual-save notice');

  // The countdown runs, and stays in view at the last question (a sticky bar).
  const clock = page.locator('#countdown');
  const first = await clock.innerText();
  await page.waitForFunction((t) => document.getElementById('countdown').textContent !== t, first);
  await page.locator('fieldset.question').last().scrollIntoViewIfNeeded();
  assert.ok(await clock.isVisible());
  const box = await clock.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 851, `countdown in view: ${JSON.stringify(box)}`);

  const chosen = await answer(page, 0, 5, 1);
  assert.equal(await page.locator('#answered').innerText(), '5');
  await page.locator('#save-status', { hasText: 'Đã lưu lúc' }).waitFor();
  await check(page, 'phone-05-quiz');

  await page.reload();
  assert.equal(new URL(page.url()).pathname, quizPath, 'reopening resumes the same attempt');
  await assertChecked(page, chosen);
  assert.equal(await page.locator('#answered').innerText(), '5');

  // Half answered, "Nộp bài" lists the other half; "Làm tiếp" goes back to the questions.
  const dialog = await askToSubmit(page, true, 5, 'phone-05b-submit-unanswered');
  assert.match(await dialog.innerText(), /Còn 5 câu chưa trả lời:/);
  assert.deepEqual(await dialog.getByRole('link').allInnerTexts(), ['Câu 6', 'Câu 7', 'Câu 8', 'Câu 9', 'Câu 10']);
  await dialog.getByRole('button', { name: 'Làm tiếp' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(new URL(page.url()).pathname, quizPath, 'still on the quiz');

  await answer(page, 5, 10, 2);
  await page.locator('#save-status', { hasText: 'Đã lưu lúc' }).waitFor();
  await submitAndSeeResult(page, name, true);

  // The same pages on a desktop screen, signed in as the same person.
  const desktop = await browser.newContext({ viewport: DESKTOP, storageState: await context.storageState() });
  const wide = await desktop.newPage();
  for (const [path, shot] of [
    ['/', 'desktop-01-home'],
    ['/the-le', 'desktop-03-rules'],
    [`${quizPath}/ket-qua`, 'desktop-06-result'],
    ['/xep-hang', 'desktop-07-leaderboard'],
    ['/lich-su', 'desktop-08-history'],
    ['/thong-ke', 'desktop-09-unit-stats'],
  ]) {
    const res = await wide.goto(server.url + path);
    assert.equal(res.status(), 200, path);
    await check(wide, shot);
  }
  await desktop.close();

  await page.goto(`${server.url}/lich-su`);
  const history = await page.locator('tbody tr').allInnerTexts();
  assert.equal(history.length, 1);
  assert.match(history[0], /Lượt 1.*Đã nộp bài.*\d+\/10/s);
  await check(page, 'phone-08-history');
  await page.goto(`${server.url}/thong-ke`);
  const stats = await page.locator('tbody tr', { hasText: UNIT }).locator('td').allInnerTexts();
  assert.deepEqual(stats.slice(1, 4), ['1', '1', '1'], 'one registered participant, who took one attempt');
  await check(page, 'phone-09-unit-stats');
  // No attempt left: "Vào thi" leads to the result, never to a Start that would be refused.
  await page.getByRole('link', { name: 'Vào thi' }).first().click();
  await page.waitForURL('**/thi');
  assert.match(await mainText(page), /Bạn đã dùng hết lượt thi/);
  assert.equal(await page.getByRole('button', { name: 'Bắt đầu làm bài' }).count(), 0);
  await check(page, 'phone-10-no-attempt-left');
  await page.getByRole('link', { name: 'Xem kết quả bài thi' }).click();
  await page.waitForURL(/\/thi\/\d+\/ket-qua$/);
  assert.deepEqual(problems, [], 'no console errors, failed requests or error responses');
  await context.close();
});

test('without JavaScript: one form, "Lưu bài làm" keeps the answers', async () => {
  const { context, page, problems } = await openPage(browser, { javaScript: false });
  const name = 'Trần Văn Bình';
  await register(page, { name, phone: '0918000002', js: false });
  await readRules(page, false);
  const quizPath = await start(page, false);
  assert.match(await page.locator('#manual-save').innerText(), /chỉ được lưu khi bạn bấm “Lưu bài làm”/);
  await screenshot(page, 'nojs-05-quiz');

  const chosen = await answer(page, 0, 5, 0);
  await page.getByRole('button', { name: 'Lưu bài làm' }).click();
  await page.waitForURL(`**${quizPath}**`);
  assert.match(await page.locator('#save-status').innerText(), /Đã lưu/);
  await page.reload();
  await assertChecked(page, chosen);
  assert.equal(await page.locator('#answered').innerText(), '5');

  // Without JavaScript the server asks, lists the unanswered questions and links back to them.
  const asked = await askToSubmit(page, false, 5, 'nojs-05b-submit-unanswered');
  assert.match(await asked.innerText(), /Còn 5 câu chưa trả lời:/);
  await asked.getByRole('link', { name: 'Câu 6', exact: true }).click();
  await page.waitForURL(`**${quizPath}#cau-6`);
  await assertChecked(page, chosen);

  await answer(page, 5, 10, 3);
  await submitAndSeeResult(page, name, false);
  assert.deepEqual(problems, [], 'no console errors, failed requests or error responses');
  await context.close();
});
