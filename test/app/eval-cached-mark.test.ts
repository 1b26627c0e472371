import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { makeSimProject, withRegistry } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A re-run answered wholly from the cache reproduces the evidence the version's tested mark already
 * rests on: it records its run, but appends no new `tested` event (before, every cached eval of a
 * tested version did, and a busy CI grew the audit log by one event per job). A run that asked the
 * server again is new evidence and renews the mark.
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'script@example.com' };
const marks = (cwd: string) => withRegistry(cwd, (db) => (db.prepare("SELECT count(*) AS n FROM events WHERE action = 'tested'").get() as { n: number }).n);
const runs = (cwd: string) => withRegistry(cwd, (db) => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n);

describe('the tested mark and cached re-runs', () => {
  it('a fully cached re-run keeps the mark without a new event; a fresh run renews it', async () => {
    const cwd = makeSimProject(sim.url);
    const opts = { cwd, env, refs: ['support-answer@1.1.0'] };
    expect((await runEval(opts)).report.versions).toMatchObject([{ tested: true }]);
    expect(marks(cwd)).toBe(1);
    const before = runs(cwd);
    const cached = await runEval(opts);
    expect(cached.report.versions).toMatchObject([{ tested: true }]);
    expect(cached.report.runs.every((r) => r.cases.every((c) => c.samples.every((s) => s.cached)))).toBe(true);
    expect(runs(cwd)).toBeGreaterThan(before);
    expect(marks(cwd)).toBe(1);
    expect((await runEval({ ...opts, cache: false })).report.versions).toMatchObject([{ tested: true }]);
    expect(marks(cwd)).toBe(2);
  });

  it('a cached re-run earns again a mark that does not count (unsigned, once the project pins an evaluator key)', async () => {
    const cwd = makeSimProject(sim.url);
    const opts = { cwd, env, refs: ['support-answer@1.1.0'] };
    await runEval(opts);
    expect(marks(cwd)).toBe(1);
    const evaluator = generateSigningKey();
    const deployer = generateSigningKey();
    patchConfig(cwd, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey] };
    });
    const signed = await runEval({ ...opts, env: { ...env, PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey } });
    expect(signed.report.versions).toMatchObject([{ tested: true }]);
    expect(marks(cwd)).toBe(2);
  });
});
