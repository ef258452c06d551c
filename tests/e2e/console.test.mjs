// An organising committee sets up the plan's contest in a real browser, from an empty database
// (no demo seed): the first administrator through the one-time setup page, the contest with its
// schedule and prize table through the console, the video deadline moved with a reason (the
// notice appears on the home page and in the Atom feed), a copy for next year's edition, the
// contest file exported and re-imported unchanged, a registration outside the unit's roster that
// waits for the focal point and counts only once approved, and the status card framed by another
// site while every other page refuses to be framed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DESKTOP, PHONE, assertAccessible, launch, openPage, screenshot } from './support/browser.mjs';
import { Server } from './support/server.mjs';

const NAME = 'Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2021';
const SLUG = 'cchc-soc-trang-2021';
const ADMIN_PASSWORD = 'Quan-tri-hoi-thi-2021';
const FOCAL_PASSWORD = 'Dau-moi-ke-sach-2021';

let server;
let browser;
let portal;

/** `date` as an HTML datetime-local value in Vietnam time (UTC+7, no daylight saving). */
function vietnamLocal(date) {
  return new Date(date.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 16);
}

before(async () => {
  server = await Server.start({}, { seed: false });
  browser = await launch();
  // A unit's portal on another origin: it frames the status card and, to see it refused, home.
  portal = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="vi"><head><title>Cổng thông tin UBND huyện Kế Sách</title></head>
      <body><h1>UBND huyện Kế Sách</h1>
      <iframe id="card" title="Hội thi" src="${server.url}/nhung/trang-thai?don-vi=ubnd-huyen-ke-sach" width="320" height="240"></iframe>
      <iframe id="home" title="Trang chủ hội thi" src="${server.url}/" width="320" height="240"></iframe>
      </body></html>`);
  });
  await new Promise((resolve) => portal.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await browser?.close();
  portal?.close();
  if (server) assert.equal(await server.stop(), 0, 'the server stops cleanly');
});

async function main(page) {
  return page.locator('main').innerText();
}

async function look(page, name) {
  await assertAccessible(page, name);
  await screenshot(page, name);
}

async function signIn(page, login, password, next) {
  await page.goto(`${server.url}/dang-nhap?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Số điện thoại hoặc tên đăng nhập').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`**${next}**`);
}

test('the committee sets up and runs the contest from an empty database', async () => {
  // The first administrator: the one-time setup page, with the code from the server's log.
  const token = server.log().match(/mã thiết lập: ([0-9a-f]{24})/)?.[1];
  assert.ok(token, `the log gives the setup code:\n${server.log()}`);
  const { page, problems } = await openPage(browser, { viewport: DESKTOP });
  await page.goto(`${server.url}/`);
  assert.match(await main(page), /Chưa có hội thi nào/);
  await page.goto(`${server.url}/cai-dat-ban-dau`);
  await look(page, 'console-01-setup');
  await page.getByLabel('Mã thiết lập').fill(token);
  await page.getByLabel('Họ và tên').fill('Trần Quản Trị');
  await page.getByLabel(/^Tên đăng nhập/).fill('quantri');
  await page.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill(ADMIN_PASSWORD);
  await page.getByLabel('Nhập lại mật khẩu').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Tạo quản trị viên' }).click();
  await page.waitForURL('**/dang-nhap**');
  await signIn(page, 'quantri', ADMIN_PASSWORD, '/quan-tri/hoi-thi');
  assert.equal((await page.request.get(`${server.url}/cai-dat-ban-dau`)).status(), 404, 'setup closed');

  // The plan's contest, open since an hour ago for a month, through the console.
  const now = new Date();
  await look(page, 'console-02-contests');
  await page.getByLabel('Tên hội thi').fill(NAME);
  await page.getByLabel(/^Mã hội thi/).fill(SLUG);
  await page.getByLabel('Cơ quan tổ chức').fill('Sở Nội vụ tỉnh Sóc Trăng');
  await page.getByLabel('Bắt đầu phần thi trắc nghiệm').fill(vietnamLocal(new Date(now - 3600e3)));
  await page.getByLabel('Kết thúc phần thi trắc nghiệm').fill(vietnamLocal(new Date(+now + 30 * 86400e3)));
  await page.getByLabel('Hạn nộp video dự thi').fill(vietnamLocal(new Date(+now + 30 * 86400e3)));
  await page.getByLabel(/^Công bố kết quả/).fill(vietnamLocal(new Date(+now + 60 * 86400e3)));
  await page.getByLabel('Đơn vị đầu mối').fill('Phòng Cải cách hành chính, Sở Nội vụ');
  await page.getByLabel('Điện thoại').fill('02993.624.779');
  await page.getByLabel('Thư điện tử').fill('phongcchc.sonv@soctrang.gov.vn');
  const prizes = [
    ['collective', 'Giải Nhất', '1', '10.000.000'],
    ['collective', 'Giải Nhì', '2', '7.000.000'],
    ['collective', 'Giải Ba', '3', '5.000.000'],
  ];
  for (const [i, [category, title, count, amount]] of prizes.entries()) {
    await page.getByLabel(`Loại giải dòng ${i + 1}`).selectOption(category);
    await page.getByLabel(`Tên giải dòng ${i + 1}`).fill(title);
    await page.getByLabel(`Số lượng dòng ${i + 1}`).fill(count);
    await page.getByLabel(`Giá trị mỗi giải dòng ${i + 1}`).fill(amount);
  }
  await page.getByRole('button', { name: 'Tạo hội thi' }).click();
  await page.waitForURL('**/quan-tri/hoi-thi/*?saved=1');
  // The rest of the prize table (section V of the plan) on the contest's page.
  const more = [
    ['collective', 'Giải Khuyến khích', '4', '3.000.000'],
    ['video', 'Giải video tuyên truyền hay nhất', '10', '500.000'],
    ['individual', 'Giải cá nhân', '10', '500.000'],
  ];
  for (const [k, [category, title, count, amount]] of more.entries()) {
    const i = prizes.length + k + 1;
    await page.getByLabel(`Loại giải dòng ${i}`).selectOption(category);
    await page.getByLabel(`Tên giải dòng ${i}`).fill(title);
    await page.getByLabel(`Số lượng dòng ${i}`).fill(count);
    await page.getByLabel(`Giá trị mỗi giải dòng ${i}`).fill(amount);
  }
  await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await page.waitForURL('**?saved=1');
  assert.match(await main(page), /Tổng kinh phí giải thưởng: 61\.000\.000 đồng/);
  await look(page, 'console-03-contest');
  const contestUrl = page.url().replace(/\?.*$/, '');

  // A unit, a focal point for it.
  await page.goto(`${server.url}/quan-tri/don-vi`);
  await page.getByLabel(/^Mã đơn vị/).fill('ubnd-huyen-ke-sach');
  await page.getByLabel('Tên đơn vị').fill('UBND huyện Kế Sách');
  await page.getByLabel(/^Nhóm/).fill('ubnd-cap-huyen');
  await page.getByRole('button', { name: 'Thêm', exact: true }).click();
  await page.waitForURL('**/quan-tri/don-vi**');
  const focal = await page.request.post(`${server.url}/api/v1/users`, {
    headers: { 'x-csrf-token': await csrf(page) },
    data: { login: 'daumoi.kesach', full_name: 'Võ Đầu Mối', role: 'focal_point',
            unit_code: 'ubnd-huyen-ke-sach', password: FOCAL_PASSWORD },
  });
  assert.equal(focal.status(), 201, await focal.text());

  // Registrations checked against the units' staff lists.
  await page.goto(`${server.url}/quan-tri/cai-dat`);
  await page.getByLabel(/^Đối chiếu danh sách cán bộ/).check();
  await page.getByRole('button', { name: 'Lưu chế độ đăng ký' }).click();
  await page.waitForURL('**/quan-tri/cai-dat?saved=1');

  // The video deadline moved with a reason: a notice appears on the home page and in the feed.
  await page.goto(contestUrl);
  await page.getByLabel('Thời hạn', { exact: true }).selectOption('video');
  await page.getByLabel('Thời hạn mới (giờ Việt Nam)').fill(vietnamLocal(new Date(+now + 40 * 86400e3)));
  await page.getByLabel('Lý do', { exact: true }).fill('Nhiều đơn vị đề nghị thêm thời gian dựng video.');
  await page.getByRole('button', { name: 'Đổi thời hạn và đăng thông báo' }).click();
  await page.waitForURL('**?moved=1');
  const { page: visitor } = await openPage(browser, { viewport: PHONE });
  await visitor.goto(`${server.url}/`);
  assert.match(await main(visitor), /Gia hạn hạn nộp video dự thi/);
  await look(visitor, 'console-04-home-phone');
  const feed = await visitor.request.get(`${server.url}/thong-bao.atom`);
  assert.match(await feed.text(), /<title>Gia hạn hạn nộp video dự thi<\/title>/);
  await visitor.goto(`${server.url}/the-le`);
  const rules = await main(visitor);
  assert.match(rules, /Thể lệ phần thi dựng video tuyên truyền/);
  assert.match(rules, /Tổng giá trị giải thưởng: 61\.000\.000 đồng/);
  await look(visitor, 'console-05-rules-phone');

  // Next year's edition, as this year's.
  await page.goto(`${server.url}/quan-tri/hoi-thi`);
  await page.getByLabel('Tên kỳ thi mới').fill('Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2022');
  await page.getByLabel(/^Mã kỳ thi mới/).fill('cchc-soc-trang-2022');
  await page.getByLabel('Bắt đầu thi (giờ Việt Nam)').fill('2027-09-15T07:00');
  await page.getByLabel('Kết thúc thi (giờ Việt Nam)').fill('2027-10-15T23:59');
  await page.getByRole('button', { name: 'Tạo kỳ thi mới' }).click();
  await page.waitForURL('**/quan-tri/hoi-thi/*?saved=1');
  assert.match(await main(page), /Tổng kinh phí giải thưởng: 61\.000\.000 đồng/);

  // The contest file: exported, imported into another install, exported again: the same bytes.
  const file = await page.request.get(`${contestUrl}/tep`);
  assert.equal(file.status(), 200);
  const exported = await file.text();
  const other = mkdtempSync(join(tmpdir(), 'hoithi-e2e-import-'));
  try {
    const path = join(other, 'contest.toml');
    writeFileSync(path, exported);
    const env = { ...server.env, HOITHI_STORAGE_DATA_DIR: other };
    delete env.HOITHI_DATABASE_URL;  // a fresh SQLite install
    const { spawnSync } = await import('node:child_process');
    const run = (args) => spawnSync(process.env.HOITHI_BINARY, args, { env, encoding: 'utf8' });
    const applied = run(['contest', 'import', path, '--apply']);
    assert.equal(applied.status, 0, applied.stderr);
    const again = run(['contest', 'export', SLUG]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, exported);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }

  // A registration outside the unit's roster waits for the focal point.
  const { page: person } = await openPage(browser, { viewport: PHONE });
  await person.goto(`${server.url}/dang-ky`);
  await person.getByLabel('Họ và tên').fill('Lê Thị Chờ');
  await person.getByLabel('Số điện thoại (dùng để đăng nhập)').fill('0977123456');
  await person.getByLabel('Đơn vị công tác').selectOption({ label: 'UBND huyện Kế Sách' });
  await person.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill('mat-khau-cho-duyet');
  await person.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await person.waitForURL('**/ho-so**');
  await person.goto(`${server.url}/thi`);
  assert.match(await main(person), /đang chờ đơn vị xác nhận/);
  await look(person, 'console-06-pending-phone');
  const stats = async () => (await page.request.get(`${server.url}/api/v1/stats/units`)).json();
  const registered = (s) => s.units.find((u) => u.code === 'ubnd-huyen-ke-sach').registered;
  assert.equal(registered(await stats()), 0, 'not counted before approval');
  const { page: focalPage } = await openPage(browser, { viewport: PHONE });
  await signIn(focalPage, 'daumoi.kesach', FOCAL_PASSWORD, '/ho-so');
  await focalPage.goto(`${server.url}/don-vi/ubnd-huyen-ke-sach`);
  assert.match(await main(focalPage), /Đăng ký chờ đơn vị xác nhận \(1\)/);
  await look(focalPage, 'console-07-unit-queue-phone');
  await focalPage.getByRole('button', { name: 'Xác nhận Lê Thị Chờ' }).click();
  await focalPage.waitForURL('**?approved=1');
  // The public counts follow the change counter (shared for up to a second): wait for them.
  for (let i = 0; i < 100 && registered(await stats()) !== 1; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(registered(await stats()), 1, 'counted once approved');

  // The status card inside a unit's portal (another origin); every other page refuses framing.
  const { page: unitSite } = await openPage(browser, { viewport: DESKTOP });
  await unitSite.goto(`http://127.0.0.1:${portal.address().port}/`);
  const card = unitSite.frameLocator('#card');
  await card.locator('main').waitFor();
  assert.match(await card.locator('main').innerText(), /UBND huyện Kế Sách/);
  const home = unitSite.frames().find((f) => f.url().startsWith(`${server.url}/`) && !f.url().includes('nhung'));
  const framed = home ? await home.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
  assert.ok(!framed.includes(NAME), 'the home page is not shown inside another site');
  await screenshot(unitSite, 'console-08-portal-card');

  assert.deepEqual(problems.filter((p) => !p.includes('/cai-dat-ban-dau')), []);
});

/** The CSRF token of the page's forms (for the API calls the test makes beside the pages). */
async function csrf(page) {
  return page.locator('input[name="_csrf"]').first().getAttribute('value');
}
