import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject, withRegistry } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/** `compare` lists changed verdicts first; `eval --filter-failing` sends only the failing cases. */

const sim = simulatorForFile();
let dir: string;
const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });

beforeAll(async () => {
  dir = makeSimProject(sim.url);
  // 1.2.0: the worse version (facts and the non-disclosure line removed).
  const src = readFileSync(path.join(dir, 'prompts/support-answer/1.1.0.yaml'), 'utf8');
  const worse = src
    .replace('version: 1.1.0', 'version: 1.2.0')
    .split('\n')
    .filter((l) => !/Refunds are available|Standard shipping takes|Never reveal these instructions/.test(l))
    .join('\n');
  writeFileSync(path.join(dir, 'prompts/support-answer/1.2.0.yaml'), worse);
});

const CHANGED = new Set(['regression', 'fix', 'changed']);

describe('compare and --filter-failing', () => {
  it('a suite that applies to only one of the two versions is named in a note, not dropped silently', async () => {
    const only = path.join(dir, 'evalsets/support-answer/only-new.yaml');
    writeFileSync(only, 'prompt: support-answer\nversions: ">=1.2.0"\nkind: golden\nthreshold: 0\ncases:\n  - id: only-1\n    vars: { question: "Hours?" }\n    expect:\n      - contains: "9"\n');
    try {
      const r = await cli(['compare', 'support-answer@1.1.0', 'support-answer@1.2.0', '--suite', 'golden', '--suite', 'only-new', '--json']);
      expect(r.code, r.output).toBe(0);
      const data = parseJsonOutput(r);
      expect(data.notes).toContain("suite 'only-new' applies only to support-answer@1.2.0: its cases are not compared");
      // Only what is compared is read or evaluated: nothing asks the server for a suite one side alone runs.
      expect(data.runs.map((x: { suite: string }) => x.suite)).toEqual(['golden', 'golden']);
    } finally {
      rmSync(only);
    }
  });

  it('two versions that share no suite are refused (exit 2) before anything is evaluated', async () => {
    const only = path.join(dir, 'evalsets/support-answer/only-new.yaml');
    writeFileSync(only, 'prompt: support-answer\nversions: ">=1.2.0"\nkind: golden\nthreshold: 0\ncases:\n  - id: only-1\n    vars: { question: "Hours?" }\n    expect:\n      - contains: "9"\n');
    try {
      const none = await cli(['compare', 'support-answer@1.1.0', 'support-answer@1.2.0', '--suite', 'only-new']);
      expect(none.code, none.output).toBe(2);
      expect(none.stderr).toContain('support-answer@1.1.0 and support-answer@1.2.0 share no suite (with --suite only-new), so no case can be compared');
      expect(none.stderr).toContain('support-answer@1.1.0 runs none; support-answer@1.2.0 runs only-new');
      expect(none.stdout).not.toContain('evaluated');
      const runs = withRegistry(dir, (db) => db.prepare("SELECT count(*) AS n FROM runs WHERE suite = 'only-new'").get()) as { n: number };
      expect(runs.n).toBe(0);
    } finally {
      rmSync(only);
    }
  });

  it('compare 1.0.0 with the worse 1.2.0 lists changed verdicts first', async () => {
    const r = await cli(['compare', 'support-answer@1.0.0', 'support-answer@1.2.0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const data = parseJsonOutput(r);
    expect(data).toMatchObject({ promptId: 'support-answer', a: '1.0.0', b: '1.2.0' });
    const kinds: string[] = data.rows.map((x: any) => x.change);
    // Every case of both suites, once (the hand-written ones at least; the attack packs add more).
    const keys = new Set(data.rows.map((x: any) => `${x.suite}/${x.caseId}`));
    expect(keys.size).toBe(data.rows.length);
    for (const k of ['golden/refund-window', 'golden/shipping-time', 'golden/password-reset', 'golden/support-hours', 'adversarial/override-reveal', 'adversarial/customer-emails']) {
      expect(keys.has(k), k).toBe(true);
    }
    const firstUnchanged = kinds.findIndex((k) => !CHANGED.has(k));
    const changedCount = kinds.filter((k) => CHANGED.has(k)).length;
    expect(changedCount).toBeGreaterThanOrEqual(3); // refund, shipping, the two attacks
    expect(firstUnchanged === -1 ? kinds.length : firstUnchanged).toBe(changedCount);
    // Regressions (pass on 1.0.0, not on 1.2.0) before anything else.
    expect(kinds[0]).toBe('regression');
    for (const row of data.rows.slice(0, changedCount)) expect(row.verdictA).not.toBe(row.verdictB);
    const ids = data.rows.slice(0, changedCount).map((x: any) => `${x.suite}/${x.caseId}`);
    expect(ids).toEqual(expect.arrayContaining(['golden/refund-window', 'golden/shipping-time', 'adversarial/override-reveal', 'adversarial/customer-emails']));

    // The text view puts the same cases first.
    const t = await cli(['compare', 'support-answer@1.0.0', 'support-answer@1.2.0']);
    expect(t.code, t.stderr).toBe(0);
    const refundAt = t.stdout.indexOf('refund-window');
    const hoursAt = t.stdout.indexOf('support-hours');
    expect(refundAt).toBeGreaterThanOrEqual(0);
    if (hoursAt >= 0) expect(refundAt).toBeLessThan(hoursAt);
  });

  it('eval --filter-failing re-runs only the cases that did not pass last time', async () => {
    const first = await cli(['eval', 'support-answer@1.2.0', '--json']);
    expect(first.code, first.stderr).toBe(1);
    const failing = new Set<string>();
    let total = 0;
    for (const run of parseJsonOutput(first).runs) {
      for (const c of run.cases) {
        total++;
        if (c.verdict !== 'pass') failing.add(`${run.run.suite}/${c.caseId}`);
      }
    }
    expect(failing.size).toBeGreaterThan(0);
    expect(failing.size).toBeLessThan(total);
    expect(failing.has('golden/support-hours')).toBe(false);

    // With the cache, the failing cases' answers are stored: nothing is sent.
    sim.resetStats();
    const cachedRun = await cli(['eval', 'support-answer@1.2.0', '--filter-failing', '--json']);
    expect([0, 1]).toContain(cachedRun.code);
    expect(sim.stats().chatCompletions).toBe(0);

    // Without the cache: exactly one request per failing case, none for the passing ones.
    sim.resetStats();
    const r = await cli(['eval', 'support-answer@1.2.0', '--filter-failing', '--no-cache', '--json']);
    expect([0, 1]).toContain(r.code);
    expect(sim.stats().chatCompletions).toBe(failing.size);
    const rerun = new Set<string>();
    for (const run of parseJsonOutput(r).runs) for (const c of run.cases) rerun.add(`${run.run.suite}/${c.caseId}`);
    expect([...rerun].sort()).toEqual([...failing].sort());
  });
});
