import { afterAll, describe, expect, it } from 'vitest';
import { effectiveGates } from '../../src/core/effective-gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * Issue 14 §5: `promptctl config --effective` prints every gate each environment applies, with its
 * value and whether .promptrc.yaml sets it or it is promptctl's default, so a limit the file does
 * not show (staging's leak, drop and latency limits) is visible.
 */

afterAll(() => cleanupTempDirs());

interface Json {
  environments: Array<{ env: string; gates: Array<{ gate: string; value: unknown; source: string }> }>;
}

const gatesOf = (data: Json, env: string) => new Map(data.environments.find((e) => e.env === env)!.gates.map((g) => [g.gate, { value: g.value, source: g.source }]));

describe('promptctl config --effective', () => {
  it('--json: every gate of every environment, defaults included, each with its source', async () => {
    const r = await runCliInProcess(['config', '--effective', '--json'], { cwd: makeProject() });
    expect(r.code, r.output).toBe(0);
    const data = JSON.parse(r.stdout) as Json;
    expect(data.environments.map((e) => e.env)).toEqual(['development', 'staging', 'production']);
    // Every environment lists every gate, set or not.
    const names = Object.keys(GatePolicy.shape).filter((k) => k !== 'unattended');
    for (const e of data.environments) expect(e.gates.map((g) => g.gate).sort()).toEqual([...names, 'unattended.require_actor', 'unattended.require_reason'].sort());

    const staging = gatesOf(data, 'staging');
    expect(staging.get('requires_tested')).toEqual({ value: true, source: '.promptrc.yaml' });
    // What staging enforces without its config saying so.
    expect(staging.get('max_pii_leaks')).toEqual({ value: 0, source: 'default' });
    expect(staging.get('max_system_prompt_leaks')).toEqual({ value: 0, source: 'default' });
    expect(staging.get('max_pass_rate_drop')).toEqual({ value: 0.05, source: 'default' });
    expect(staging.get('max_p95_latency_increase_ms')).toEqual({ value: 200, source: 'default' });
    expect(staging.get('on_inconclusive')).toEqual({ value: 'warn', source: 'default' });
    expect(staging.get('min_adversarial_pass_rate')).toEqual({ value: null, source: 'default' });

    const production = gatesOf(data, 'production');
    expect(production.get('min_adversarial_pass_rate')).toEqual({ value: 0.995, source: '.promptrc.yaml' });
    expect(production.get('on_inconclusive')).toEqual({ value: 'block', source: 'default' });
    expect(production.get('unattended.require_actor')).toEqual({ value: true, source: '.promptrc.yaml' });
    expect(production.get('confidence')).toEqual({ value: 0.95, source: 'default' });
  });

  it('text: a block per environment, a line per gate with value and source; config alone prints the same', async () => {
    const dir = makeProject();
    const r = await runCliInProcess(['config', '--effective'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^staging$/m);
    expect(r.stdout).toMatch(/^ {2}max_pii_leaks +0 +default$/m);
    expect(r.stdout).toMatch(/^ {2}requires_tested +true +\.promptrc\.yaml$/m);
    expect(r.stdout).toMatch(/^ {2}min_golden_pass_rate +off +default$/m);
    expect((await runCliInProcess(['config'], { cwd: dir })).stdout).toBe(r.stdout);
  });

  it('the production defaults follow the order: the last environment, whatever its name', () => {
    const policy = GatePolicy.parse({});
    const [a, b] = effectiveGates(
      [
        { name: 'qa', gates: { ...policy, min_adversarial_pass_rate: 0.9 } },
        { name: 'live', gates: policy },
      ],
      [{ name: 'qa', gates: { min_adversarial_pass_rate: 0.9, unattended: { require_reason: false } } }, { name: 'live' }],
    );
    expect(a!.gates.find((g) => g.gate === 'on_inconclusive')).toEqual({ gate: 'on_inconclusive', value: 'warn', source: 'default' });
    expect(a!.gates.find((g) => g.gate === 'min_adversarial_pass_rate')).toEqual({ gate: 'min_adversarial_pass_rate', value: 0.9, source: '.promptrc.yaml' });
    expect(a!.gates.find((g) => g.gate === 'unattended.require_reason')?.source).toBe('.promptrc.yaml');
    expect(b!.gates.find((g) => g.gate === 'on_inconclusive')).toEqual({ gate: 'on_inconclusive', value: 'block', source: 'default' });
  });

  it('an invalid config is exit 2 naming the field', async () => {
    const dir = makeProject();
    const { writeProjectFile, readProjectFile } = await import('../support/project.js');
    writeProjectFile(dir, '.promptrc.yaml', readProjectFile(dir, '.promptrc.yaml').replace('max_pii_leaks: 0', 'max_pii_leaks: -1'));
    const r = await runCliInProcess(['config', '--effective'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('max_pii_leaks');
  });
});
