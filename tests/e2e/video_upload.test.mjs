// A unit's focal point registers its propaganda video and uploads it from a phone with
// tus-js-client: the connection drops after the first 8 MiB piece, the page is reloaded, the
// same file is chosen again and the upload resumes where the server stopped (one upload
// created, not two), the server processes it and the page plays it. The organisers then see the
// unit among those with a ready video. The clip (19 MB, 10 s of 720p) is made by ffmpeg here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DESKTOP, PHONE, assertAccessible, launch, openPage, screenshot } from './support/browser.mjs';
import { Server } from './support/server.mjs';

const UNIT = 'ubnd-huyen-ke-sach';
const PASSWORD = 'hoithi-demo-2021';
const TITLE = 'Một cửa liên thông — gần dân, vì dân';

let server;
let browser;
let dir;
let clip;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoithi-video-e2e-'));
  clip = join(dir, 'phong-su-mot-cua.avi');
  // Motion JPEG keeps it large (three tus pieces of 8 MiB) and quick to make.
  const made = spawnSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=10',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=10',
    '-c:v', 'mjpeg', '-q:v', '2', '-c:a', 'pcm_s16le', '-shortest', clip], { encoding: 'utf8' });
  assert.equal(made.status, 0, `ffmpeg made the clip: ${made.stderr}`);
  assert.ok(statSync(clip).size > 16 * 1024 * 1024, 'the clip takes more than two pieces');
  server = await Server.start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0, 'the server stops cleanly');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(page, login, next) {
  await page.goto(`${server.url}/dang-nhap?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Số điện thoại hoặc tên đăng nhập').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`**${next}**`);
}

async function look(page, name) {
  await assertAccessible(page, name);
  await screenshot(page, name);
}

test('a focal point uploads the unit video, cut off and resumed after a reload', async () => {
  const { page, problems } = await openPage(browser, { viewport: PHONE });
  const videoPage = `/don-vi/${UNIT}/video`;
  await signIn(page, 'daumoi.kesach', videoPage);
  assert.match(await page.locator('main').innerText(), /Đơn vị chưa đăng ký video nào/);
  await look(page, 'video-01-unit-empty-phone');

  // Register the entry.
  await page.getByLabel('Tên video').fill(TITLE);
  await page.getByLabel('Hình thức thể hiện').selectOption({ label: 'Phóng sự' });
  await page.getByLabel('Cơ chế một cửa, một cửa liên thông').check();
  await page.getByLabel('Họ tên người thứ 1').fill('Lâm Thị Khách Mời');
  await page.locator('#credit_role_1').fill('Dẫn chuyện');
  await page.locator('#credit_invited_1').check();
  await page.getByRole('button', { name: 'Đăng ký video' }).click();
  await page.waitForURL('**?xong=tao');
  const main = page.locator('main');
  assert.match(await main.innerText(), /Đã đăng ký video/);
  assert.match(await main.innerText(), /Chưa có video/);
  assert.match(await main.innerText(), /Lâm Thị Khách Mời — Dẫn chuyện \(khách mời\)/);
  await look(page, 'video-02-entry-registered-phone');

  // The connection drops after the first piece: every later PATCH fails as a cut network would.
  const requests = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/uploads')) requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  let patches = 0;
  let cut;
  const wasCut = new Promise((resolve) => { cut = resolve; });
  await page.route('**/api/v1/uploads/*', (route) => {
    if (route.request().method() !== 'PATCH') return route.continue();
    patches += 1;
    if (patches === 1) return route.continue();
    cut();
    return route.abort('internetdisconnected');
  });
  await page.locator('input[type="file"]').setInputFiles(clip);
  await page.getByRole('button', { name: 'Tải video lên' }).click();
  await wasCut;
  await page.waitForTimeout(300);  // the first piece's answer is in; the retries keep failing

  // The person reloads and picks the same file again: the upload resumes, it does not restart.
  // The network comes back only once the old page is gone, so that none of its retries reaches
  // the server (one that did would hold the upload, and the new page would first hear 409).
  await page.reload();
  await page.unroute('**/api/v1/uploads/*');
  assert.match(await main.innerText(), /Lần tải lên trước chưa xong/);
  await page.locator('input[type="file"]').setInputFiles(clip);
  await page.getByRole('button', { name: 'Tải video lên' }).click();
  await page.getByText(/Tiếp tục lần tải lên trước/).or(page.getByText(/Đã tải lên/)).first()
    .waitFor();
  // Processing ends with a reload of the page that shows the player.
  await page.locator('video.player').waitFor({ timeout: 180_000 });
  assert.match(await main.innerText(), /Sẵn sàng/);
  const creations = requests.filter((r) => r === 'POST /api/v1/uploads');
  assert.equal(creations.length, 1, `one upload created, then resumed: ${requests.join(', ')}`);
  assert.ok(requests.some((r) => r.startsWith('HEAD /api/v1/uploads/')),
    `the resumed upload asked the server for its offset: ${requests.join(', ')}`);
  const poster = await page.locator('video.player').getAttribute('poster');
  const posterAnswer = await page.request.get(`${server.url}${poster}`);
  assert.equal(posterAnswer.status(), 200);
  assert.equal(posterAnswer.headers()['content-type'], 'image/jpeg');
  await look(page, 'video-03-ready-phone');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'video-04-ready-desktop');

  // Only the cut requests failed; nothing else went wrong on the page.
  const unexpected = problems.filter((p) => !/internetdisconnected|ERR_INTERNET_DISCONNECTED/i.test(p));
  assert.deepEqual(unexpected, [], 'no console errors, failed requests or error responses');
});

test('the organisers see which units have a ready video', async () => {
  const { page, problems } = await openPage(browser, { viewport: DESKTOP });
  await signIn(page, 'btc', '/quan-tri/video');
  const text = await page.locator('main').innerText();
  assert.match(text, /Video dự thi của các đơn vị/);
  assert.match(text, /UBND huyện Kế Sách\s+Đã có video sẵn sàng/);
  assert.match(text, /Chưa đăng ký video/);
  await look(page, 'video-05-overview-desktop');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'video-06-overview-phone');

  // They put the unit's video in the public gallery, from the unit's page.
  await page.getByRole('link', { name: 'UBND huyện Kế Sách' }).click();
  await page.getByRole('button', { name: `Đưa “${TITLE}” vào thư viện công khai` }).click();
  await page.waitForURL('**?xong=duyet');
  assert.match(await page.locator('main').innerText(), /Đã đưa video vào thư viện công khai/);
  assert.deepEqual(problems, [], 'no console errors, failed requests or error responses');
});

test('the public watches the gallery on a phone', async () => {
  const { page, problems } = await openPage(browser, { viewport: PHONE });
  await page.goto(`${server.url}/`);
  await page.getByRole('link', { name: 'Video', exact: true }).click();
  await page.waitForURL('**/video');
  const main = page.locator('main');
  assert.match(await main.innerText(), /Thư viện video dự thi/);
  assert.match(await main.innerText(), /UBND huyện Kế Sách · Phóng sự · 10 giây/);
  await look(page, 'video-07-gallery-phone');
  await page.getByRole('link', { name: TITLE }).click();
  await page.locator('video.player').waitFor();
  assert.match(await main.innerText(), /Lâm Thị Khách Mời — Dẫn chuyện \(khách mời\)/);
  assert.match(await page.locator('#embed').inputValue(), /<iframe src="http.*\/nhung"/);
  await look(page, 'video-08-player-phone');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'video-09-player-desktop');
  assert.deepEqual(problems, [], 'no console errors, failed requests or error responses');
});
