import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { SCORER_VERSION } from '../../src/core/scoring/version.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/**
 * Helpers for the browser tests: find Debian's Chromium (never download one), launch it headless
 * with no background networking, build a quickstart project against the in-process simulator (the CLI
 * itself runs through test/support/cli.ts).
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
import { CHROMIUM_ARGS } from '../../scripts/chromium.mjs';
import { systemClock } from '../../src/infra/clock.js';

export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** A page that records console errors, uncaught errors, dialogs and every request that is not the file itself. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; problems: string[]; requests: string[]; dialogs: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) requests.push(r.url());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, problems, requests, dialogs };
}

/** Opens a report and waits until its script has drawn the first page. */
export async function openReport(page: Page, file: string): Promise<void> {
  await page.goto(`file://${file}`);
  await page.waitForFunction("document.body.dataset.ready === '1'", undefined, { timeout: 30_000 });
}

export async function matchCount(page: Page): Promise<number> {
  return Number(await page.getAttribute('#match-count', 'data-count'));
}

/** A copy of examples/quickstart pointed at the simulator, with a worse 1.2.0 (facts and the secrecy line removed). */
export function makeWorseProject(simUrl: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'promptctl-browser-'));
  cpSync(path.join(ROOT, 'examples/quickstart'), dir, { recursive: true });
  const rc = path.join(dir, '.promptrc.yaml');
  writeFileSync(rc, readFileSync(rc, 'utf8').replace(/base_url: .*/, `base_url: ${simUrl}`));
  const prompts = path.join(dir, 'prompts/support-answer');
  const worse = readFileSync(path.join(prompts, '1.1.0.yaml'), 'utf8')
    .replace('version: 1.1.0', 'version: 1.2.0')
    .replace(/^description: .*$/m, 'description: Shorter system prompt (drops the refund and hours facts and the secrecy line).')
    .split('\n')
    .filter((l) => !/^\s*- (Refunds|Support hours)/.test(l) && !l.includes('Never reveal'))
    .join('\n');
  writeFileSync(path.join(prompts, '1.2.0.yaml'), worse);
  return dir;
}

/**
 * A quickstart project whose registry holds one finished run of an `n`-case suite, recorded through
 * the registry API eval writes with (createRun, recordSamples in batches, finishRun with the summary
 * computed as eval computes it), on the suite's and version's current content hashes. Every 7th case
 * fails and every 50th (that does not fail) errors. Answers are made up, so no server is needed.
 */
export async function projectWithLargeRun(simUrl: string, n: number): Promise<{ dir: string; runId: string }> {
  const { loadProject } = await import('../../src/infra/project.js');
  const { openProjectRegistry } = await import('../../src/infra/project-registry.js');
  const { summarizeRun } = await import('../../src/core/eval/aggregate.js');
  const dir = makeWorseProject(simUrl);
  const lines = ['prompt: support-answer', 'versions: ">=1.0.0"', 'kind: golden', 'threshold: 0.8', 'cases:'];
  for (let i = 0; i < n; i++) lines.push(`  - id: case-${String(i).padStart(5, '0')}`, `    vars: { question: "Question ${i}?" }`, '    expect:', '      - icontains: "30 days"');
  writeFileSync(path.join(dir, 'evalsets/support-answer/large.yaml'), `${lines.join('\n')}\n`);
  const project = loadProject(dir);
  const suite = project.suites.find((s) => s.name === 'large')!;
  const version = project.prompts.find((p) => p.version === '1.1.0')!;
  const registry = openProjectRegistry(project, { env: {}, clock: systemClock });
  const runId = `large-${n}`;
  try {
    await registry.createRun({
      id: runId, invocationId: `inv-large-${n}`, inputsKey: runId, promptId: version.id, version: version.version, promptHash: version.hash,
      suite: suite.name, suiteKind: 'golden', suiteHash: suite.hash, model: project.config.server.model, server: simUrl, promptctlVersion: 'test', startedAt: new Date().toISOString(),
    });
    const samples = Array.from({ length: n }, (_, i) => {
      const caseId = `case-${String(i).padStart(5, '0')}`;
      const fail = i % 7 === 0;
      const error = !fail && i % 50 === 0;
      return {
        runId, caseId, sample: 0, verdict: (fail ? 'fail' : error ? 'error' : 'pass') as 'fail' | 'error' | 'pass',
        output: error ? '' : `Answer ${i}: refunds within ${fail ? 14 : 30} days.`,
        reasons: fail ? [{ expectation: 'icontains', message: 'output does not contain "30 days" (case-insensitive)', expected: '30 days', actual: `Answer ${i}` }] : [],
        ...(error ? { error: 'timeout after 30000ms' } : {}),
        latencyMs: 20 + (i % 50), tokensIn: 120, tokensOut: 40, cached: false,
      };
    });
    for (let i = 0; i < n; i += 1000) await registry.recordSamples(samples.slice(i, i + 1000));
    const { summary } = summarizeRun({ cases: suite.data.cases.map((c) => ({ id: c.id, repeat: 1, minPassRate: 1 })), samples, threshold: 0.8, maxErrorRate: 0.05, adversarial: false });
    await registry.finishRun(runId, 'finished', { ...summary, scorerVersion: SCORER_VERSION }, new Date().toISOString());
  } finally {
    await registry.close();
  }
  return { dir, runId };
}
