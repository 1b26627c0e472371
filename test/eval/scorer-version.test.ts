import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compare, reportSources, runEval } from '../../src/app/index.js';
import { SCORER_VERSION } from '../../src/core/scoring/version.js';
import { runCliInProcess } from '../support/cli.js';
import { dumpRegistry, makeSimProject, registryPath, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { resealMarks } from '../support/registry-cli.js';
import { SCRIPT_ENV as env, simulatorsForFile } from '../support/simulator.js';

/**
 * Issue 15, item 8: runs record the scorer version, and two runs scored by different versions are
 * compared on the current scorer (the older one's stored outputs re-scored first), so a switch of
 * scorer is never read as a regression: the regression gate (`deploy`, `eval --baseline`) and
 * `compare`. The deployed baseline here stands for a run recorded by scorer v1 (the hand-written
 * validator, which ignored `minLength`): its outputs were recorded passing, and fail under ajv.
 */

const sims = simulatorsForFile();

const VERSION = (v: string, what: string) =>
  `id: answer-json\nversion: ${v}\ndescription: ${what}\nauthor: qa@example.com\nvariables:\n  - name: question\n    max_length: 500\nmessages:\n  - role: system\n    content: "You are the travel assistant. Refunds are available within 30 days of purchase."\n  - role: user\n    content: "<q>{{question}}</q>"\nresponse_format:\n  type: json_schema\n  json_schema:\n    name: answer\n    schema:\n      type: object\n      required: [answer, confident]\n      properties:\n        answer: { type: string }\n        confident: { type: boolean }\n`;

// Every answer is shorter than 400 characters: each case fails under ajv.
const CASES = Array.from({ length: 16 }, (_, i) => `  - id: q${i}\n    vars: { question: "How long do I have for a refund? (ticket ${i})" }\n    expect:\n      - json-schema: { type: object, properties: { answer: { type: string, minLength: 400 } } }\n`);

/** 1.0.0 evaluated and deployed in development, its run rewritten as scorer `recordedWith` would have left it (every case passing); 1.1.0 evaluated. */
async function project(recordedWith: number | undefined): Promise<string> {
  const dir = makeSimProject(sims[0]!.url, {}, 'promptctl-scorer-');
  relaxLatencyGate(dir);
  writeProjectFile(dir, 'prompts/answer-json/1.0.0.yaml', VERSION('1.0.0', 'First.'));
  writeProjectFile(dir, 'prompts/answer-json/1.1.0.yaml', VERSION('1.1.0', 'Same messages, reworded description.'));
  writeProjectFile(dir, 'evalsets/answer-json/golden.yaml', `prompt: answer-json\nkind: golden\nthreshold: 0\ncases:\n${CASES.join('')}`);
  const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir, env });
  expect((await cli('eval', 'answer-json@1.0.0')).code).toBe(0);
  expect((await cli('deploy', 'answer-json@1.0.0', '--env', 'development')).code).toBe(0);
  const db = new Database(registryPath(dir));
  try {
    const ids = db.prepare("SELECT id FROM runs WHERE prompt_id = 'answer-json' AND version = '1.0.0'").pluck().all() as string[];
    expect(ids).toHaveLength(1);
    expect(JSON.parse(db.prepare('SELECT summary FROM runs WHERE id = ?').pluck().get(ids[0]) as string).scorerVersion).toBe(SCORER_VERSION);
    db.prepare("UPDATE samples SET verdict = 'pass', reasons = '[]' WHERE run_id = ?").run(ids[0]);
    const passing = "json_set(summary, '$.passed', 16, '$.failed', 0, '$.passRate', 1, '$.verdict', 'passed')";
    const version = recordedWith === undefined ? "json_remove(summary, '$.scorerVersion')" : `json_set(summary, '$.scorerVersion', ${recordedWith})`;
    db.prepare(`UPDATE runs SET summary = ${passing.replace('json_set(summary', `json_set(${version}`)} WHERE id = ?`).run(ids[0]);
  } finally {
    db.close();
  }
  // The tested mark as that scorer's promptctl would have earned it, on these samples.
  resealMarks(dir);
  expect((await cli('eval', 'answer-json@1.1.0')).code).toBe(0);
  return dir;
}

describe('comparing runs scored by different scorer versions', () => {
  it('eval --baseline and deploy re-score the v1 baseline first: no regression artefact, and they say so', async () => {
    const dir = await project(undefined);
    const before = dumpRegistry(dir);
    const r = await runEval({ cwd: dir, env, refs: ['answer-json@1.1.0'], baseline: 'development' });
    const suite = r.report.baselines[0]!.suites[0]!;
    expect(suite).toMatchObject({ passRate: 0, baselinePassRate: 0, regressions: [], rescored: { side: 'baseline', scorer: SCORER_VERSION, recordedWith: 1 } });
    expect(r.exitCode).toBe(0);
    const text = await runCliInProcess(['eval', 'answer-json@1.1.0', '--baseline', 'development'], { cwd: dir, env });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toContain(`(baseline re-scored with scorer v${SCORER_VERSION})`);
    const d = await runCliInProcess(['deploy', 'answer-json@1.1.0', '--env', 'development', '--dry-run'], { cwd: dir, env });
    expect(d.code, d.output).toBe(0);
    expect(d.output).toMatch(new RegExp(`suite 'golden': pass rate 0\\.0% vs 0\\.0% on 1\\.0\\.0 \\(baseline re-scored with scorer v${SCORER_VERSION}, recorded with v1\\)`));
    // Nothing recorded is rewritten: the re-score lives in memory (eval wrote only its own runs).
    const after = dumpRegistry(dir);
    expect(after.split('\n').filter((l) => l.startsWith('samples: ') && l.includes('"case_id":"q0"') && l.includes('"verdict":"pass"'))).toHaveLength(1);
    expect(before.split('\n').filter((l) => l.startsWith('runs: ') && l.includes('"version":"1.0.0"'))).toEqual(after.split('\n').filter((l) => l.startsWith('runs: ') && l.includes('"version":"1.0.0"')));
  });

  it('compare pairs the re-scored baseline: no case reads as a regression, and a note says why', async () => {
    const dir = await project(undefined);
    const c = await compare({ cwd: dir, env, a: 'answer-json@1.0.0', b: '1.1.0', eval: false });
    expect(c.rows).toHaveLength(16);
    expect(c.rows.filter((row) => row.verdictA !== row.verdictB)).toEqual([]);
    expect(c.notes.filter((n) => n.includes('re-scored'))).toEqual([expect.stringMatching(new RegExp(`^answer-json@1\\.0\\.0 golden \\(run \\w{8}\\) re-scored with scorer v${SCORER_VERSION} \\(recorded with v1\\) before comparing$`))]);
    // The HTML report's side-by-side comparison reads the same two runs the same way.
    const r = await reportSources({ cwd: dir, env, refs: ['answer-json@1.0.0', 'answer-json@1.1.0'] });
    expect(r.outcomes.map((o) => [o.run.version, o.cases.filter((x) => x.verdict === 'pass').length])).toEqual([['1.0.0', 0], ['1.1.0', 0]]);
    expect(r.notes.some((n) => n.includes(`re-scored with scorer v${SCORER_VERSION}`))).toBe(true);
  });

  it('runs of one scorer version are compared as recorded: the (here fabricated) drop is a regression', async () => {
    const dir = await project(SCORER_VERSION);
    const r = await runEval({ cwd: dir, env, refs: ['answer-json@1.1.0'], baseline: 'development' });
    const suite = r.report.baselines[0]!.suites[0]!;
    expect(suite).toMatchObject({ passRate: 0, baselinePassRate: 1, regressions: ['regression-pass-rate'] });
    expect(suite.rescored).toBeUndefined();
    expect(r.exitCode).toBe(1);
    const c = await compare({ cwd: dir, env, a: 'answer-json@1.0.0', b: '1.1.0', eval: false });
    expect(c.rows.filter((row) => row.verdictA === 'pass' && row.verdictB === 'fail')).toHaveLength(16);
    expect(c.notes.join('\n')).not.toContain('re-scored');
  });
});
