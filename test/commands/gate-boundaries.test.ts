import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { addFinishedRun, markTested, patchConfig } from '../support/registry-cli.js';

/**
 * Every numeric gate of `.promptrc.yaml` at the edges of what its schema accepts: a value the
 * schema lets through must work where the gates consume it (a dry-run deploy that judges the
 * regression, latency, leak and pass-rate checks, and `power`, which plans with the drop limit and
 * confidence), and a value the code cannot use must be refused at load with exit 2, naming the
 * file, line and field. `max_pass_rate_drop: 1` used to load and then stop every deploy with exit 70.
 */

const ID = 'support-answer';

afterAll(() => cleanupTempDirs());

type Row = [gate: string, value: number | null, outcome: 'works' | 'refused'];

const ROWS: Row[] = [
  ['min_golden_pass_rate', 0, 'works'],
  ['min_golden_pass_rate', 1, 'works'],
  ['min_golden_pass_rate', -0.01, 'refused'],
  ['min_golden_pass_rate', 1.01, 'refused'],
  ['min_adversarial_pass_rate', 0, 'works'],
  ['min_adversarial_pass_rate', 1, 'works'],
  ['min_adversarial_pass_rate', null, 'works'],
  ['min_adversarial_pass_rate', 1.01, 'refused'],
  ['max_pii_leaks', 0, 'works'],
  ['max_pii_leaks', Number.MAX_SAFE_INTEGER, 'works'],
  ['max_pii_leaks', -1, 'refused'],
  ['max_pii_leaks', 0.5, 'refused'],
  ['max_system_prompt_leaks', 0, 'works'],
  ['max_system_prompt_leaks', Number.MAX_SAFE_INTEGER, 'works'],
  ['max_system_prompt_leaks', -1, 'refused'],
  ['max_pass_rate_drop', 0, 'works'],
  ['max_pass_rate_drop', 0.99, 'works'],
  ['max_pass_rate_drop', 0.999999, 'works'],
  ['max_pass_rate_drop', 1, 'refused'],
  ['max_pass_rate_drop', -0.01, 'refused'],
  ['confidence', 0.5, 'works'],
  ['confidence', 0.999, 'works'],
  ['confidence', 0.49, 'refused'],
  ['confidence', 1, 'refused'],
  ['max_p95_latency_increase_ms', 0, 'works'],
  ['max_p95_latency_increase_ms', Number.MAX_SAFE_INTEGER, 'works'],
  ['max_p95_latency_increase_ms', -1, 'refused'],
];

/**
 * The registry every row starts from, made once and copied per row (the rows differ only in their
 * config): both versions tested, 1.0.0 deployed to development, and a drop on golden for 1.1.0
 * (1 of 4 cases worse), so the regression check decides something.
 */
let template: string;
beforeAll(async () => {
  template = makeProject();
  markTested(template, `${ID}@1.0.0`, `${ID}@1.1.0`);
  expect((await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development'], { cwd: template })).code).toBe(0);
  addFinishedRun(template, `${ID}@1.1.0`, { suite: 'golden', passRate: 0.75 });
});

describe('a numeric gate at its boundaries loads and then works, or is refused at load', () => {
  it.each(ROWS)('%s: %s (%s)', async (gate, value, outcome) => {
    const dir = makeProject({ from: template });
    patchConfig(dir, (c) => {
      c.environments[0].gates = { ...c.environments[0].gates, [gate]: value };
    });

    const dry = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run'], { cwd: dir });
    const power = await runCliInProcess(['power', `${ID}/golden`, '--env', 'development'], { cwd: dir });
    if (outcome === 'works') {
      // 0 or 1: a verdict either way, never a crash (70) or a refused config (2).
      expect([0, 1], dry.output).toContain(dry.code);
      expect(dry.stdout).toMatch(/golden suite 'golden': (pass rate|inconclusive)/);
      expect(power.code, power.output).toBe(0);
    } else {
      for (const r of [dry, power]) {
        expect(r.code, r.output).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`\\.promptrc\\.yaml:\\d+:\\d+ environments\\.0\\.gates\\.${gate}: `));
      }
    }
  });

  it('says why a drop limit of 1 is refused and what the loosest limit is', async () => {
    const dir = makeProject();
    patchConfig(dir, (c) => {
      c.environments[2].gates.max_pass_rate_drop = 1;
    });
    const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'production', '--dry-run'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(/\.promptrc\.yaml:\d+:\d+ environments\.2\.gates\.max_pass_rate_drop: must be less than 1: .*no drop can exceed 1; the regression check has no off switch, so the loosest limit is 0\.99/);
  });
});
