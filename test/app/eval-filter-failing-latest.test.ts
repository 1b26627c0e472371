import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runEval, type EvalResult } from '../../src/app/index.js';
import { makeSimProject, readProjectFile, registryPath, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorForFile } from '../support/simulator.js';

/**
 * `--filter-failing` sends each case whose most recent verdict is not a pass: from the counting run
 * and every finished run after it, partial ones included, case by case. Before, it read only the
 * newest run, so a `--case` run of one passing case made it say "nothing failing" while the full
 * run had failing cases; and it picked cases by a failing sample, not by the case's verdict.
 *
 * Verdicts vary without timing: at temperature 0.8 the simulator degrades an answer with
 * probability 0.4, decided by a hash of the messages and the sample's seed (base + sample index),
 * so every run of the same cases gives the same verdicts.
 */

const sim = simulatorForFile();
const ID = 'support-answer';
const CASES = 20;

function sampledProject(suite = 'min_pass_rate: 0.6'): string {
  const dir = makeSimProject(sim.url, {}, 'promptctl-filter-failing-');
  const v = readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.2.0').replace('temperature: 0', 'temperature: 0.8');
  writeProjectFile(dir, `prompts/${ID}/1.2.0.yaml`, v);
  const cases = Array.from({ length: CASES }, (_, i) => `  - id: hours-${i}\n    vars: { question: "What are your support hours? (ticket ${i})" }\n    expect:\n      - icontains: "9am"\n`);
  writeProjectFile(dir, `evalsets/${ID}/sampled.yaml`, `prompt: ${ID}\nversions: ">=1.2.0"\nkind: golden\nthreshold: 0\n${suite}\ncases:\n${cases.join('')}`);
  return dir;
}

const evalSampled = (cwd: string, more: { case?: string[]; repeat?: number; filterFailing?: boolean } = {}) => runEval({ cwd, env, refs: [`${ID}@1.2.0`], suite: ['sampled'], ...more });
const verdicts = (r: EvalResult) => new Map(r.report.runs.flatMap((run) => run.cases.map((c) => [c.caseId, c.verdict] as const)));
const notPassing = (v: Map<string, string>) => [...v].filter(([, verdict]) => verdict !== 'pass').map(([id]) => id).sort();
const sentBy = (r: EvalResult) => r.report.runs.flatMap((run) => run.cases.map((c) => c.caseId)).sort();

describe('eval --filter-failing reads each case\'s most recent verdict', () => {
  it('a --case run of a passing case leaves the full run\'s failing cases failing', async () => {
    const dir = sampledProject();
    const full = verdicts(await evalSampled(dir));
    const failing = notPassing(full);
    const passing = [...full.keys()].filter((id) => !failing.includes(id));
    expect(failing.length).toBeGreaterThan(0);
    expect(passing.length).toBeGreaterThan(0);

    expect(verdicts(await evalSampled(dir, { case: [passing[0]!] }))).toEqual(new Map([[passing[0]!, 'pass']]));
    const filtered = await evalSampled(dir, { filterFailing: true });
    expect(filtered.report.nothingFailing ?? []).toEqual([]);
    expect(sentBy(filtered)).toEqual(failing);
  });

  it('picks cases by their verdict: one failing sample of five at min_pass_rate 0.6 still passes', async () => {
    const dir = sampledProject();
    const full = await evalSampled(dir, { repeat: 5 });
    const cases = full.report.runs[0]!.cases;
    // The point of the test: some passing case has a failing sample.
    expect(cases.some((c) => c.verdict === 'pass' && c.samples.some((s) => s.verdict !== 'pass'))).toBe(true);
    const filtered = await evalSampled(dir, { filterFailing: true });
    expect(sentBy(filtered)).toEqual(notPassing(verdicts(full)));
  });

  it('applies every later run in order: a case that passed later is not sent, one that failed later is', async () => {
    const dir = sampledProject();
    const full = verdicts(await evalSampled(dir));
    const firstHalf = [...full.keys()].slice(0, CASES / 2);
    // Five samples each (the first one is the full run's, cached): some verdicts turn, both ways.
    const later = verdicts(await evalSampled(dir, { case: firstHalf, repeat: 5 }));
    const turned = firstHalf.filter((id) => later.get(id) !== full.get(id));
    expect(turned.some((id) => later.get(id) === 'pass')).toBe(true);
    expect(turned.some((id) => later.get(id) !== 'pass')).toBe(true);
    // A third run of one second-half case: the newest run, which must not hide the others.
    const last = [...full.keys()][CASES - 1]!;
    const newest = verdicts(await evalSampled(dir, { case: [last] }));

    const expected = notPassing(new Map([...full, ...later, ...newest]));
    expect(expected).not.toEqual(notPassing(full));
    const filtered = await evalSampled(dir, { filterFailing: true });
    expect(sentBy(filtered)).toEqual(expected);
  });

  it('a run at another --repeat than the suite\'s clears no case: the gate could never count it', async () => {
    const dir = sampledProject('repeat: 5\nmin_pass_rate: 0.8');
    const failing = notPassing(verdicts(await evalSampled(dir)));
    expect(failing.length).toBeGreaterThan(0);
    // One sample each: some pass on it, as a verdict the suite's five samples would not give.
    const once = verdicts(await evalSampled(dir, { filterFailing: true, repeat: 1 }));
    expect([...once.values()]).toContain('pass');
    const again = await evalSampled(dir, { filterFailing: true });
    expect(sentBy(again)).toEqual(failing);
  });

  it('before any complete run: a case no run judged has not passed, so it is sent', async () => {
    const dir = sampledProject();
    const selected = verdicts(await evalSampled(dir, { case: ['hours-0', 'hours-1', 'hours-2'] }));
    expect([...selected.values()]).toContain('pass');
    const filtered = await evalSampled(dir, { filterFailing: true });
    const unjudged = Array.from({ length: CASES }, (_, i) => `hours-${i}`).filter((id) => !selected.has(id));
    expect(sentBy(filtered)).toEqual([...notPassing(selected), ...unjudged].sort());
  });
});

/**
 * Which runs --filter-failing reads: only runs of the version's current content on the model asked
 * for. A suite no run judged on them has not passed, so every one of its cases is sent, never
 * "nothing failing" (mutation hunt: with either condition gone, or a never-run suite counted as
 * empty, an edited draft whose every case fails was skipped with exit 0).
 */
describe('eval --filter-failing reads only runs of this content on this model', () => {
  const two = simulatorForFile({ models: ['sim-model', 'sim-model-next'] });
  const GOLDEN = ['password-reset', 'refund-window', 'shipping-time', 'support-hours'];
  const FILE = `prompts/${ID}/1.1.0.yaml`;
  const golden = (cwd: string, more: { filterFailing?: boolean; model?: string[] } = {}) => runEval({ cwd, env, refs: [`${ID}@1.1.0`], suite: ['golden'], ...more });

  it('a suite never run is sent whole', async () => {
    const cwd = makeSimProject(two.url, {}, 'promptctl-filter-failing-');
    const r = await golden(cwd, { filterFailing: true });
    expect(r.report.nothingFailing ?? []).toEqual([]);
    expect(sentBy(r)).toEqual(GOLDEN);
  });

  it('after the draft is edited, the runs of its earlier content do not count', async () => {
    const cwd = makeSimProject(two.url, {}, 'promptctl-filter-failing-');
    const passed = await golden(cwd);
    expect(notPassing(verdicts(passed))).toEqual([]);
    // Without its facts the prompt answers none of the questions.
    const text = readProjectFile(cwd, FILE);
    const edited = text.split('\n').filter((l) => !/^ {6}- /.test(l)).join('\n');
    expect(edited).not.toBe(text);
    writeProjectFile(cwd, FILE, edited);
    const r = await golden(cwd, { filterFailing: true });
    expect(r.report.nothingFailing ?? []).toEqual([]);
    expect(sentBy(r)).toEqual(GOLDEN);
    expect(notPassing(verdicts(r))).toEqual(GOLDEN);
    expect(r.exitCode).toBe(1);
  });

  it('the runs on another model do not count', async () => {
    const cwd = makeSimProject(two.url, {}, 'promptctl-filter-failing-');
    expect(notPassing(verdicts(await golden(cwd, { model: ['sim-model'] })))).toEqual([]);
    const r = await golden(cwd, { filterFailing: true, model: ['sim-model-next'] });
    expect(r.report.nothingFailing ?? []).toEqual([]);
    expect(sentBy(r)).toEqual(GOLDEN);
    expect(r.report.runs.map((o) => o.run.model)).toEqual(['sim-model-next']);
  });

  it('nor does a run on another model recorded before runs recorded their settings (only its model tells it apart)', async () => {
    const cwd = makeSimProject(two.url, {}, 'promptctl-filter-failing-');
    expect(notPassing(verdicts(await golden(cwd, { model: ['sim-model'] })))).toEqual([]);
    const db = new Database(registryPath(cwd));
    try {
      expect(db.prepare("UPDATE runs SET summary = json_remove(summary, '$.settings')").run().changes).toBe(1);
    } finally {
      db.close();
    }
    const r = await golden(cwd, { filterFailing: true, model: ['sim-model-next'] });
    expect(r.report.nothingFailing ?? []).toEqual([]);
    expect(sentBy(r)).toEqual(GOLDEN);
  });
});
