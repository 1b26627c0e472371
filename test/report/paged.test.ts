import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagedReportSources } from '../../src/app/report-pages.js';
import { reportSources } from '../../src/app/report.js';
import { CASE_PAGE } from '../../src/infra/eval/recorded-cases.js';
import { pagedRunFromRegistry } from '../../src/infra/eval/report-pages.js';
import { suiteSpec } from '../../src/infra/eval/stored-runs.js';
import { loadProject } from '../../src/infra/project.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { SamplePage } from '../../src/infra/registry/types.js';
import { systemClock } from '../../src/infra/clock.js';
import { reportHtml } from '../../src/render/html/report-file.js';
import { streamReportHtml } from '../../src/render/html/report-stream.js';
import { projectWithLargeRun } from '../browser/support.js';

/**
 * `report` of a large run reads its cases a page at a time (through a real SQLite registry) and
 * writes the same file as the in-memory report. How much memory that saves is measured in
 * `npm run bench` (bench/report.mjs), never asserted here.
 */

const N = 2 * CASE_PAGE + 345;
let big: { dir: string; runId: string };

beforeAll(async () => {
  big = await projectWithLargeRun('http://127.0.0.1:9/v1', N);
});
afterAll(() => rmSync(big.dir, { recursive: true, force: true }));

describe('a run report read page by page', () => {
  it('asks the registry for one page of case ids at a time, never for every sample', async () => {
    const project = loadProject(big.dir);
    const registry = openSqliteRegistry({ path: path.join(big.dir, '.promptctl/registry.db'), readonly: true });
    const calls: Array<SamplePage | undefined> = [];
    const getSamples = registry.getSamples.bind(registry);
    registry.getSamples = (runId, page) => {
      calls.push(page);
      return getSamples(runId, page);
    };
    try {
      const run = (await registry.listRuns({})).find((r) => r.id === big.runId)!;
      const suite = project.suites.find((s) => s.name === 'large')!;
      const paged = await pagedRunFromRegistry(registry, run, suiteSpec(suite), []);
      expect(calls).toEqual([]);
      const ids: string[] = [];
      for await (const page of paged.pages()) ids.push(...page.map((c) => c.caseId));
      expect(calls.map((p) => p?.caseIds.length)).toEqual([CASE_PAGE, CASE_PAGE, 345]);
      expect(ids).toEqual(suite.data.cases.map((c) => c.id));
      expect(paged.verdicts.filter((v) => v === 'fail').length).toBe(run.summary!.failed);
    } finally {
      await registry.close();
    }
  });

  it('writes the same HTML as the report built in memory', async () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const clock = { ...systemClock, date: () => at };
    const whole = reportHtml(await reportSources({ cwd: big.dir, refs: [big.runId], clock }));
    const sources = await pagedReportSources({ cwd: big.dir, ref: big.runId, clock });
    let html = '';
    try {
      const { chunks, summary } = streamReportHtml(sources);
      for await (const chunk of chunks) html += chunk;
      expect(summary('f')).toEqual(whole.summary('f'));
    } finally {
      await sources.close();
    }
    expect(html).toBe(whole.html);
  });
});
