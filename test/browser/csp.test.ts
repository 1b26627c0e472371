import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/render/html/model.js';
import { CSP, renderHtml } from '../../src/render/html/template.js';
import { goldenOutcome } from '../report/fixtures.js';
import { findChromium, launchChromium, matchCount, openReport, watchedPage } from './support.js';

/**
 * The report's Content-Security-Policy in a real browser (Debian's Chromium, as report.test.ts):
 * the page's own script, pinned by its hash, still draws, filters, searches and opens cases with no
 * violation; any other script, a `<base>` or a form is refused, and the refusal is reported (a
 * securitypolicyviolation event and a console error), so a markup escape could not run code.
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('notice: test/browser/csp.test.ts skipped because Chromium is not installed (apt-get install -y chromium)');
const itb = chromiumPath ? it : it.skip;

let browser: Browser | undefined;
let dir = '';

/** Records every CSP violation the page reports, from before its own script runs. */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  // Scripts as text, as the neighbouring browser tests write them (the tests compile without the DOM's types).
  await page.addInitScript("window.cspViolations = []; document.addEventListener('securitypolicyviolation', function (e) { window.cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI); });");
  return async () => (await page.evaluate('window.cspViolations.slice()')) as string[];
}

describe('the HTML report under its Content-Security-Policy, in headless Chromium', () => {
  beforeAll(async () => {
    if (!chromiumPath) return;
    dir = mkdtempSync(path.join(tmpdir(), 'promptctl-csp-'));
    browser = await launchChromium(chromiumPath);
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pins the one inline script by its hash and allows nothing else a page could load or send', () => {
    expect(CSP.split('; ')).toEqual([
      "default-src 'none'",
      expect.stringMatching(/^script-src 'sha256-[A-Za-z0-9+/]{43}='$/),
      "style-src 'unsafe-inline'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(CSP.match(/script-src [^;]*/)![0]).not.toContain('unsafe');
  });

  itb('the page still works (filters, search, a case opened, its messages) with no violation; an injected script, <base> or form is refused and reported', async () => {
    const data = buildReportData({
      title: 'csp',
      generatedAt: new Date().toISOString(),
      promptctlVersion: 'test',
      outcomes: [goldenOutcome('1.1.0'), goldenOutcome('1.2.0', { hostile: true })],
      comparison: { promptId: 'support-answer', a: '1.1.0', b: '1.2.0' },
      messageTemplates: () => [{ role: 'system', content: 'You are a support agent.' }],
    });
    const file = path.join(dir, 'csp.html');
    writeFileSync(file, renderHtml(data));
    const { page, problems, requests, dialogs } = await watchedPage(browser!);
    const violations = await recordViolations(page);
    // Ready is set by the page's own script: it ran under the hash.
    await openReport(page, file);
    expect(await matchCount(page)).toBe(3);
    await page.fill('#search', 'shipping');
    await expect.poll(() => matchCount(page), { timeout: 30_000 }).toBe(1);
    await page.fill('#search', '');
    await expect.poll(() => matchCount(page), { timeout: 30_000 }).toBe(3);
    await page.click('#change-filter button[data-change="regression"]');
    await expect.poll(() => matchCount(page), { timeout: 30_000 }).toBe(1);
    await page.locator('#cases-body tr.row').first().click();
    const detail = page.locator('tr.detail');
    expect(await detail.textContent()).toContain('</script><script>alert(1)</script>');
    await detail.locator('details.messages summary').first().click();
    expect(await detail.locator('details.messages pre').first().textContent()).toBe('You are a support agent.');
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);

    // What the policy is for: markup that got into the page anyway does nothing, and says so.
    await page.evaluate(`(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injectedRan = true;';
      document.body.appendChild(script);
      const base = document.createElement('base');
      base.href = 'http://127.0.0.1:9/';
      document.head.appendChild(base);
    })()`);
    expect(await page.evaluate('window.injectedRan')).toBeUndefined();
    await expect.poll(violations, { timeout: 30_000 }).toEqual(['script-src-elem inline', 'base-uri http://127.0.0.1:9/']);
    expect(problems.some((p) => p.startsWith('error: ') && p.includes('Content Security Policy'))).toBe(true);
    // A form posting the page's data anywhere is refused before it leaves.
    await page.evaluate(`(() => {
      const form = document.createElement('form');
      form.action = 'http://127.0.0.1:9/collect';
      form.method = 'post';
      document.body.appendChild(form);
      form.submit();
    })()`);
    await expect.poll(violations, { timeout: 30_000 }).toContain('form-action http://127.0.0.1:9/collect');
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
