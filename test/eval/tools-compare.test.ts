import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, runEval } from '../../src/app/index.js';
import { decodeReportData } from '../../src/render/html/compact.js';
import type { ReportData } from '../../src/render/html/model.js';
import { REPO_ROOT, runCliInProcess } from '../support/cli.js';
import { makeProject, patchServerConfig, readProjectFile, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorsForFile } from '../support/simulator.js';

/**
 * `compare` and `report` of two versions of examples/tools whose answers are tool calls: 1.1.0
 * makes get_weather require a `units` argument, so the simulator adds one to every get_weather call.
 * A change of calls is a changed output, and every view shows the calls and why a side failed.
 */

const sims = simulatorsForFile({ toolCallParser: 'hermes' });

async function project(): Promise<string> {
  const dir = makeProject({ from: path.join(REPO_ROOT, 'examples', 'tools'), prefix: 'promptctl-tools-compare-' });
  patchServerConfig(dir, { base_url: sims[0]!.url });
  const next = readProjectFile(dir, 'prompts/trip-planner/1.0.0.yaml')
    .replace('version: 1.0.0', 'version: 1.1.0')
    .replace('required: [city]\n', 'required: [city, units]\n')
    .replace('days: { type: integer, minimum: 1, maximum: 7 }', 'days: { type: integer, minimum: 1, maximum: 7 }\n          units: { type: string }');
  writeProjectFile(dir, 'prompts/trip-planner/1.1.0.yaml', next);
  for (const v of ['1.0.0', '1.1.0']) await runEval({ cwd: dir, env, refs: [`trip-planner@${v}`] });
  return dir;
}

describe('compare and report of tool-calling versions', () => {
  it('compare counts changed calls as changed outputs, and its JSON and text carry the calls and the reasons', async () => {
    const dir = await project();
    const result = await compare({ cwd: dir, env, a: 'trip-planner@1.0.0', b: 'trip-planner@1.1.0' });
    const change = Object.fromEntries(result.rows.map((r) => [r.caseId, r.change]));
    expect(change).toEqual({ 'weather-call': 'regression', 'answer-after-results': 'regression', 'weather-days': 'same-verdict', 'weather-then-hotel': 'same-verdict', 'no-tool-needed': 'identical' });
    const call = result.rows.find((r) => r.caseId === 'weather-call')!;
    expect(call.toolCallsA).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(call.toolCallsB).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris","units":"Paris"}' }]);
    expect(call.reasonsA).toBeUndefined();
    expect(call.reasonsB!.map((r) => `${r.expectation}: ${r.message}`)).toEqual(['tool-call: get_weather is called with other arguments: $.units: unexpected argument']);

    const text = await runCliInProcess(['compare', 'trip-planner@1.0.0', 'trip-planner@1.1.0'], { cwd: dir, env: { ...env, COLUMNS: '200' } });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toContain('5 cases: 2 regressions, 0 fixes, 0 other verdict changes, 2 changed outputs, 1 identical');
    expect(text.stdout).not.toContain('(empty output)');
    const lines = text.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('REGRESSION golden/weather-call'));
    expect(lines[at + 3]).toMatch(/^ {2}→ get_weather\(\{"city":"Paris"\}\) +│ → get_weather\(\{"city":"Paris","units":"Paris"\}\)$/);
    expect(lines[at + 4]).toMatch(/^ +│ ✗ tool-call: get_weather is called with other arguments: \$\.units: unexpected argument$/);
    expect(text.stdout).toMatch(/OUTPUT golden\/weather-days {2}PASS → PASS/);
  });

  it('the HTML report of the two versions carries each side\'s tool calls and classifies changed calls', async () => {
    const dir = await project();
    const r = await runCliInProcess(['report', 'trip-planner@1.0.0', 'trip-planner@1.1.0', '-o', 'cmp.html'], { cwd: dir, env });
    expect(r.code, r.output).toBe(0);
    const html = readFileSync(path.join(dir, 'cmp.html'), 'utf8');
    const data: ReportData = decodeReportData(JSON.parse(html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!));
    const byId = new Map(data.cases.map((c) => [c.caseId, c]));
    expect(byId.get('weather-days')!.change).toBe('same-verdict');
    expect(byId.get('no-tool-needed')!.change).toBe('identical');
    const call = byId.get('weather-call')!;
    expect(call.change).toBe('regression');
    expect(call.a.toolCalls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(call.b!.toolCalls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris","units":"Paris"}' }]);
    expect(call.b!.reasons.map((x) => x.message)).toEqual(['get_weather is called with other arguments: $.units: unexpected argument']);
    expect(byId.get('no-tool-needed')!.a.toolCalls).toBeUndefined();
  });

  it('the HTML report of one run (read a page of cases at a time) carries the tool calls an answer is made of', async () => {
    const dir = await project();
    const r = await runCliInProcess(['report', '-o', 'run.html'], { cwd: dir, env });
    expect(r.code, r.output).toBe(0);
    const html = readFileSync(path.join(dir, 'run.html'), 'utf8');
    const data: ReportData = decodeReportData(JSON.parse(html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!));
    const call = data.cases.find((c) => c.caseId === 'weather-call')!;
    expect(call.a.output).toBe('');
    expect(call.a.toolCalls).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris","units":"Paris"}' }]);
    expect(data.cases.find((c) => c.caseId === 'no-tool-needed')!.a.toolCalls).toBeUndefined();
  });
});
