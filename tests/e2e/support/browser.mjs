// Debian's chromium driven by playwright-core, headless, with what every browser test checks:
// console errors, uncaught page errors, failed requests and 4xx/5xx responses are collected per
// page (`problems`), axe-core finds no serious or critical violation, screenshots go to
// test-output/.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.HOITHI_SOURCE_DIR || join(here, '..', '..', '..');
export const outputDir = join(sourceDir, 'test-output');

export const PHONE = { width: 393, height: 851 };
export const DESKTOP = { width: 1366, height: 900 };

// The binary itself, not Debian's /usr/bin/chromium wrapper script (which adds nothing a test
// needs and prints shell noise); CHROMIUM_PATH overrides both.
function executable() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error('chromium is not installed (scripts/install-deps installs it)');
  return found;
}

export async function launch() {
  return chromium.launch({
    executablePath: executable(),
    headless: true,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A fresh context (no cookies) with the phone viewport unless told otherwise, and one page whose
 * problems are collected. `javaScript: false` turns scripts off for the no-JavaScript journey.
 */
export async function openPage(browser, { viewport = PHONE, javaScript = true } = {}) {
  const context = await browser.newContext({
    viewport,
    javaScriptEnabled: javaScript,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    isMobile: viewport === PHONE,
    hasTouch: viewport === PHONE,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  // ERR_ABORTED is the browser cancelling a load itself (the page navigated on before its icon
  // or image arrived), not an answer of the server.
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText;
    if (why !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.method()} ${req.url()}: ${why}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  return { context, page, problems };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation. The
 * source is evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does
 * not apply and the page itself never loads axe.
 */
export async function assertAccessible(page, label) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }),
  );
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `accessibility violations on ${label}`,
  );
}

/** Saves a full-page screenshot as test-output/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
}

/**
 * The bytes the page's document and its resources weigh, uncompressed (decodedBodySize, so that a
 * page's budget does not depend on compression or the cache), from the Resource Timing API.
 */
export async function pageWeight(page) {
  return page.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .reduce((sum, e) => sum + (e.decodedBodySize || 0), 0),
  );
}
