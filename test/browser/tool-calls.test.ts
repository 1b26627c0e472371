import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/core/schemas/report.js';
import { buildReportData } from '../../src/render/html/model.js';
import { renderHtml } from '../../src/render/html/template.js';
import { caseOf, runRecord, sample } from '../report/fixtures.js';
import { findChromium, launchChromium, openReport, watchedPage } from './support.js';

/** A comparison report of answers that are tool calls, in headless Chromium: the page shows the calls. */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('notice: test/browser/tool-calls.test.ts skipped because Chromium is not installed (apt-get install -y chromium)');
const itb = chromiumPath ? it : it.skip;

function outcome(version: string, args: string, fails: boolean): RunOutcome {
  const runId = `run-${version}`;
  const reasons = fails ? [{ expectation: 'tool-call', message: 'get_weather is called with other arguments: $.units: unexpected argument' }] : [];
  const s = sample({ runId, caseId: 'weather-call', output: '', verdict: fails ? 'fail' : 'pass', reasons, exchange: { toolCalls: [{ name: 'get_weather', arguments: args }] } });
  return { run: runRecord({ id: runId, version, promptId: 'trip-planner' }), threshold: 1, cases: [caseOf('weather-call', [s])] };
}

let browser: Browser | undefined;
let dir = '';

describe('tool calls in the HTML comparison', () => {
  beforeAll(async () => {
    if (!chromiumPath) return;
    dir = mkdtempSync(path.join(tmpdir(), 'promptctl-browser-calls-'));
    browser = await launchChromium(chromiumPath);
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  itb('previews and the opened case show each side\'s calls, with the word diff over them', async () => {
    const data = buildReportData({
      title: 'calls',
      generatedAt: new Date().toISOString(),
      promptctlVersion: 'test',
      outcomes: [outcome('1.0.0', '{"city":"Paris"}', false), outcome('1.1.0', '{"city":"Paris","units":"Paris"}', true)],
      comparison: { promptId: 'trip-planner', a: '1.0.0', b: '1.1.0' },
    });
    const file = path.join(dir, 'calls.html');
    writeFileSync(file, renderHtml(data));
    const { page, problems } = await watchedPage(browser!);
    await openReport(page, file);
    const row = page.locator('#cases-body tr.row').first();
    const previews = await row.locator('td.preview').allTextContents();
    expect(previews).toEqual(['→ get_weather({"city":"Paris"})', '→ get_weather({"city":"Paris","units":"Paris"})']);
    await row.click();
    const right = page.locator('.side-b');
    expect(await right.locator('pre').first().textContent()).toBe('→ get_weather({"city":"Paris","units":"Paris"})');
    expect(await right.locator('ins').allTextContents()).not.toEqual([]);
    expect(await right.textContent()).toContain('$.units: unexpected argument');
    expect(problems).toEqual([]);
  });
});
