// A judge scores a unit's video from a phone: signing in lands on the videos to score, the
// scoring page plays the video, a score above a criterion's maximum is refused with the typed
// values kept, the corrected sheet is submitted. The organisers then see it on their board and
// lock judging (asked first), then review the draft results and change the ranking's weights
// (a wrong sum refused first). The video (a 2 s clip ffmpeg makes here) is registered and
// uploaded through the API beforehand, as the unit's focal point would from its page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DESKTOP, PHONE, assertAccessible, launch, openPage, screenshot } from './support/browser.mjs';
import { Server } from './support/server.mjs';

const PASSWORD = 'hoithi-demo-2021';
const TITLE = 'Thanh toán trực tuyến — nhanh, gọn, an toàn';

let server;
let browser;
let dir;
let entryId;

async function api(token, method, path, body, headers = {}) {
  const r = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...headers },
    body,
  });
  const text = await r.text();
  return { status: r.status, body: text, json: () => JSON.parse(text) };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoithi-judging-e2e-'));
  const clip = join(dir, 'thanh-toan.mp4');
  const made = spawnSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
  { encoding: 'utf8' });
  assert.equal(made.status, 0, `ffmpeg made the clip: ${made.stderr}`);
  server = await Server.start();
  browser = await launch();

  // The unit's focal point registers the entry and uploads the clip in one tus request.
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'daumoi.kesach', password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const { token } = await login.json();
  const entry = await api(token, 'POST', '/api/v1/videos', JSON.stringify({
    title: TITLE, form: 'song', themes: ['online_payment'],
    credits: [{ name: 'Trần Văn Ca Sĩ', role: 'Ca sĩ', invited: true }],
  }), { 'Content-Type': 'application/json' });
  assert.equal(entry.status, 201, entry.body);
  entryId = entry.json().id;
  const bytes = readFileSync(clip);
  const b64 = (s) => Buffer.from(String(s)).toString('base64');
  const upload = await api(token, 'POST', '/api/v1/uploads', bytes, {
    'Tus-Resumable': '1.0.0',
    'Upload-Length': String(bytes.length),
    'Upload-Metadata': `entry_id ${b64(entryId)},filename ${b64('thanh-toan.mp4')}`,
    'Content-Type': 'application/offset+octet-stream',
  });
  assert.equal(upload.status, 201, upload.body);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const e = await api(token, 'GET', `/api/v1/videos/${entryId}`);
    const status = e.json().status;
    if (status === 'ready') break;
    assert.notEqual(status, 'rejected', e.body);
    assert.ok(Date.now() < deadline, `the clip was not processed in time: ${e.body}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

after(async () => {
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0, 'the server stops cleanly');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(page, login, landing) {
  await page.goto(`${server.url}/dang-nhap`);
  await page.getByLabel('Số điện thoại hoặc tên đăng nhập').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`**${landing}`);
}

async function look(page, name) {
  await assertAccessible(page, name);
  await screenshot(page, name);
}

test('a judge scores a video on a phone', async () => {
  const { page, problems } = await openPage(browser, { viewport: PHONE });
  await signIn(page, 'giamkhao', '/cham-diem');
  const main = page.locator('main');
  assert.match(await main.innerText(), /Bạn đã chấm 0\/1 video/);
  assert.match(await main.innerText(), /Chưa chấm/);
  await look(page, 'judging-01-queue-phone');

  await page.getByRole('link', { name: TITLE }).click();
  await page.locator('video.player').waitFor();
  const text = await main.innerText();
  assert.match(text, /UBND huyện Kế Sách/);
  assert.match(text, /Trần Văn Ca Sĩ — Ca sĩ \(khách mời\)/);
  assert.match(text, /Nội dung \(tối đa 25\)/);
  await look(page, 'judging-02-sheet-phone');

  // 30 for a criterion worth 25: refused, with what was typed kept.
  await page.getByLabel(/^Nội dung/).fill('30');
  await page.getByLabel(/^Thông điệp cải cách hành chính/).fill('22,5');
  await page.getByLabel(/^Hình thức thể hiện/).fill('18');
  await page.getByLabel(/^Kỹ thuật dựng/).fill('12');
  await page.getByLabel(/^Sáng tạo/).fill('13,5');
  await page.getByLabel('Nhận xét (không bắt buộc)').fill('Giai điệu dễ nhớ, thông điệp rõ ràng.');
  await page.getByRole('button', { name: 'Nộp phiếu chấm' }).click();
  await page.getByText('Chưa lưu được phiếu chấm').waitFor();
  assert.match(await main.innerText(), /Điểm Nội dung phải từ 0 đến 25/);
  assert.equal(await page.getByLabel(/^Thông điệp cải cách hành chính/).inputValue(), '22,5');
  assert.equal(await page.getByLabel(/^Nội dung/).getAttribute('aria-invalid'), 'true');
  await look(page, 'judging-03-sheet-refused-phone');

  await page.getByLabel(/^Nội dung/).fill('21');
  await page.getByRole('button', { name: 'Nộp phiếu chấm' }).click();
  await page.waitForURL('**/cham-diem?xong=nop');
  assert.match(await main.innerText(), /Đã nộp phiếu chấm/);
  assert.match(await main.innerText(), /Đã nộp điểm · 87 điểm/);
  assert.match(await main.innerText(), /Bạn đã chấm 1\/1 video/);
  await look(page, 'judging-04-submitted-phone');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'judging-05-submitted-desktop');
  // The refused sheet is answered 422 (the form again, with its errors); nothing else may fail.
  const unexpected = problems.filter((p) => !/^HTTP 422: POST .*\/cham-diem\/\d+$/.test(p) &&
    !/\/cham-diem\/\d+: Failed to load resource: .* 422 /.test(p));
  assert.deepEqual(unexpected, [], 'no console errors, failed requests or error responses');
});

test('the organisers follow the jury and lock judging', async () => {
  const { page, problems } = await openPage(browser, { viewport: DESKTOP });
  page.on('dialog', (d) => d.accept());
  await signIn(page, 'btc', '/quan-tri');
  await page.getByRole('link', { name: 'Chấm điểm video' }).click();
  await page.waitForURL('**/quan-tri/cham-diem');
  const main = page.locator('main');
  const text = await main.innerText();
  assert.match(text, /Tiến độ chấm điểm video/);
  assert.match(text, /0\s*phiếu chấm còn thiếu/);
  assert.match(text, /Đã nộp điểm 87 điểm/);
  assert.match(text, /UBND huyện Kế Sách/);
  await look(page, 'judging-06-board-desktop');

  // The rubric's page, as the organisers would change it (here only looked at).
  await page.getByText(/^Thang điểm \(100 điểm/).click();
  await page.getByRole('link', { name: 'Sửa thang điểm và cách chấm' }).click();
  await page.waitForURL('**/quan-tri/cham-diem/thang-diem');
  assert.equal(await page.getByLabel('Tiêu chí 1').inputValue(), 'Nội dung');
  await look(page, 'judging-06b-rubric-desktop');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'judging-06c-rubric-phone');
  await page.setViewportSize(DESKTOP);
  await page.goBack();

  await page.getByRole('button', { name: 'Khóa việc chấm điểm' }).click();
  await page.waitForURL('**?xong=khoa');
  assert.match(await main.innerText(), /Đã khóa việc chấm điểm/);
  assert.match(await main.innerText(), /Điểm tổng hợp/);
  assert.doesNotMatch(await main.innerText(), /tạm tính/);
  await look(page, 'judging-07-locked-desktop');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'judging-08-locked-phone');
  assert.deepEqual(problems, [], 'no console errors, failed requests or error responses');
});

test('the organisers review the draft results and change the weights', async () => {
  const { page, problems } = await openPage(browser, { viewport: DESKTOP });
  await signIn(page, 'btc', '/quan-tri');
  await page.getByRole('link', { name: 'Kết quả và giải thưởng' }).click();
  await page.waitForURL('**/quan-tri/ket-qua');
  const main = page.locator('main');
  let text = await main.innerText();
  assert.match(text, /Điểm tổng hợp của đơn vị = 30% × tỉ lệ tham gia/);
  // Kế Sách's video (87 of 100) is the only score: its unit leads with 0,4 × 87 = 34,8.
  assert.match(text, /Giải Nhất\s+UBND huyện Kế Sách\s+34,8 điểm · 10\.000\.000 đồng/);
  assert.match(text, new RegExp(`Giải video tuyên truyền hay nhất\\s+${TITLE}`));
  assert.match(text, /Tổng tiền thưởng: 10\.500\.000 đồng/);
  assert.match(text, /Chưa thể công bố kết quả vì:/);
  assert.match(text, /Số cán bộ chưa nhập/);
  await look(page, 'results-01-draft-desktop');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'results-02-draft-phone');
  await page.setViewportSize(DESKTOP);

  // Weights that add up to 110 are refused with the sum named and the typed values kept.
  await page.getByText('Sửa trọng số và thông tin văn bản').click();
  await page.getByLabel('Trọng số phần thi video (%)').fill('50');
  await page.getByRole('button', { name: 'Lưu công thức' }).click();
  await page.waitForLoadState('load');
  text = await main.innerText();
  assert.match(text, /Tổng các trọng số phải bằng 100 \(hiện là 110\)/);
  assert.equal(await page.getByLabel('Trọng số phần thi video (%)').inputValue(), '50');
  await look(page, 'results-03-weights-refused-desktop');
  await page.getByLabel('Trọng số phần thi trắc nghiệm (%)').fill('20');
  await page.getByRole('button', { name: 'Lưu công thức' }).click();
  await page.waitForURL('**?xong=trong-so');
  text = await main.innerText();
  assert.match(text, /Đã lưu công thức xếp hạng/);
  assert.match(text, /50% × điểm phần thi video/);
  assert.match(text, /Giải Nhất\s+UBND huyện Kế Sách\s+43,5 điểm/);
  await look(page, 'results-04-weights-saved-desktop');

  // Without participation in the formula nothing blocks: review, then publish (asked first).
  await page.getByText('Sửa trọng số và thông tin văn bản').click();
  await page.getByLabel('Trọng số tỉ lệ tham gia (%)').fill('0');
  await page.getByLabel('Trọng số phần thi trắc nghiệm (%)').fill('50');
  await page.getByRole('button', { name: 'Lưu công thức' }).click();
  await page.waitForURL('**?xong=trong-so');
  assert.doesNotMatch(await main.innerText(), /Chưa thể công bố/);
  await page.getByRole('button', { name: 'Soát xét bản nháp này' }).click();
  await page.waitForURL('**?xong=soat-xet');
  assert.match(await main.innerText(), /Bản soát xét lần 1/);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Công bố kết quả lần 1' }).click();
  await page.waitForURL('**?xong=cong-bo');
  text = await main.innerText();
  assert.match(text, /Đã công bố kết quả/);
  const digest = (await page.locator('code.digest').first().innerText()).trim();
  assert.match(digest, /^[0-9a-f]{64}$/);
  await look(page, 'results-05-published-desktop');
  // The published files download: the PAR sheet and the certificates. The certificates' file
  // is a background job's: the page tells its progress and gives the link once it is written.
  const certificates = page.getByRole('link', { name: 'Giấy chứng nhận của các tập thể, cá nhân đạt giải (PDF)' });
  for (let i = 0; i < 120 && (await certificates.count()) === 0; i++) {
    assert.match(await main.innerText(), /đang tạo, đã xong \d+\/\d+ trang/);
    await page.waitForTimeout(250);
    await page.reload();
  }
  for (const [name, type] of [['Bảng kết quả từng đơn vị cho chỉ số cải cách hành chính (Excel)',
    'spreadsheetml'], ['Giấy chứng nhận của các tập thể, cá nhân đạt giải (PDF)', 'application/pdf']]) {
    const href = await page.getByRole('link', { name }).first().getAttribute('href');
    const r = await page.request.get(`${server.url}${href}`);
    assert.equal(r.status(), 200, name);
    assert.match(r.headers()['content-type'], new RegExp(type), name);
  }

  // The public results page, signed out, on a phone and a desktop.
  const visitor = await openPage(browser, { viewport: PHONE });
  await visitor.page.goto(`${server.url}/ket-qua`);
  const shown = await visitor.page.locator('main').innerText();
  assert.match(shown, /Kết quả hội thi/);
  assert.match(shown, /Giải Nhất\s+UBND huyện Kế Sách\s+43,5 điểm · 10\.000\.000 đồng/);
  assert.ok(shown.includes(digest), 'the digest is on the public page');
  await look(visitor.page, 'results-06-public-phone');
  await visitor.page.setViewportSize(DESKTOP);
  await screenshot(visitor.page, 'results-07-public-desktop');
  assert.deepEqual(visitor.problems, [], 'no console errors on the public page');
  const unexpected = problems.filter((p) => !/^HTTP 422: POST .*\/quan-tri\/ket-qua\/trong-so$/.test(p) &&
    !/\/quan-tri\/ket-qua\/trong-so: Failed to load resource: .* 422 /.test(p));
  assert.deepEqual(unexpected, [], 'no console errors, failed requests or error responses');
});
