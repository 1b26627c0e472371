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

/**
 * A conversation case opened in the HTML report, in a real browser (Debian's Chromium, as
 * report.test.ts): its turns among the inputs, the model's earlier reply (with its tool call) above
 * the output, and the rendered messages going on past the prompt with the turns and that reply.
 */

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('notice: test/browser/conversation.test.ts skipped because Chromium is not installed (apt-get install -y chromium)');
const itb = chromiumPath ? it : it.skip;

let browser: Browser | undefined;
let dir = '';

function conversationOutcome(): RunOutcome {
  const s = sample({
    caseId: 'follow-up',
    verdict: 'fail',
    output: 'Standard shipping takes 3 to 5 business days.',
    reasons: [{ expectation: 'icontains', message: 'output does not contain "refund"' }],
    exchange: { turns: ['Support hours are 9am to 5pm.'], turnToolCalls: [[{ name: 'hours', arguments: '{"day":"mon"}' }]] },
  });
  const c = caseOf('follow-up', [s], {
    vars: { question: 'What are your support hours?' },
    turns: [{ role: 'assistant' }, { role: 'user', content: 'And how long does standard shipping take?' }],
  });
  return { run: runRecord({ id: 'run-a' }), threshold: 1, cases: [c] };
}

describe('a conversation case in the HTML report, in headless Chromium', () => {
  beforeAll(async () => {
    if (!chromiumPath) return;
    dir = mkdtempSync(path.join(tmpdir(), 'promptctl-browser-conversation-'));
    browser = await launchChromium(chromiumPath);
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  itb("shows the case's turns as inputs, the earlier reply above the output and in the rendered messages", async () => {
    const messageTemplates = () => [
      { role: 'system', content: 'You are the support assistant.' },
      { role: 'user', content: '{{question}}' },
    ];
    const file = path.join(dir, 'conversation.html');
    writeFileSync(file, renderHtml(buildReportData({ title: 't', generatedAt: new Date().toISOString(), promptctlVersion: 'test', outcomes: [conversationOutcome()], messageTemplates })));
    const { page, problems } = await watchedPage(browser!);
    await openReport(page, file);
    const row = page.locator('#cases-body tr.row').first();
    expect(await row.locator('td.input').textContent()).toBe("question: What are your support hours? · assistant turn 1: (the model's reply) · user turn: And how long does standard shipping take?");
    await row.click();
    const detail = page.locator('tr.detail');
    expect(await detail.locator('dl.inputs dt').allTextContents()).toEqual(['question', 'assistant turn 1', 'user turn']);
    expect(await detail.locator('dl.inputs dd pre').allTextContents()).toEqual(['What are your support hours?', "(the model's reply)", 'And how long does standard shipping take?']);
    // The earlier reply, with its tool call, under its own heading before the output.
    const headings = await detail.locator('h3').allTextContents();
    expect(headings.indexOf("Earlier replies (the conversation's turns before the output)")).toBe(headings.indexOf('Output') - 1);
    expect(await detail.locator('div.replies div.hdr').allTextContents()).toEqual(['assistant turn 1']);
    expect(await detail.locator('div.replies pre').allTextContents()).toEqual(['→ hours({"day":"mon"})\nSupport hours are 9am to 5pm.']);
    // The messages sent: the prompt, then the turns, the model's reply in the open one.
    const messages = detail.locator('details.messages');
    await messages.locator('summary').click();
    expect(await messages.locator('div.hdr').allTextContents()).toEqual(['system', 'user', "assistant (the model's reply, assistant turn 1)", 'user']);
    expect((await messages.locator('pre').allTextContents()).slice(1)).toEqual([
      'What are your support hours?',
      '→ hours({"day":"mon"})\nSupport hours are 9am to 5pm.',
      'And how long does standard shipping take?',
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
