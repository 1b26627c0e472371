import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { updateTestedMarks } from '../../src/infra/eval/marks.js';
import { loadProject } from '../../src/infra/project.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { systemClock } from '../../src/infra/clock.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorForFile } from '../support/simulator.js';

/**
 * After a cached re-run (runs that recorded no weights of their own), the marks ask what the model
 * serves now once per model for the whole eval, not once per version: a project of hundreds of
 * prompts read every run since the last one naming its weights once per prompt, and each cached
 * re-run was slower than the one before. Counted in registry reads, not timed.
 */

const sim = simulatorForFile();

describe('tested marks after a cached re-run', () => {
  it('ask the registry what the model serves once for every version, not once per version', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-roots-once-');
    const refs = ['support-answer@1.0.0', 'support-answer@1.1.0'];
    await runEval({ cwd, env, refs });
    const cached = await runEval({ cwd, env, refs });
    expect(cached.report.runs.every((r) => r.cases.every((c) => c.samples.every((s) => s.cached)))).toBe(true);

    const project = loadProject(cwd);
    const registry = openProjectRegistry(project, { env: {}, clock: systemClock });
    let reads = 0;
    const counting = new Proxy(registry, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'newestRuns' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: unknown[]) => {
          reads++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Registry;
    try {
      const versions = refs.map((ref) => project.prompts.find((p) => `${p.id}@${p.version}` === ref)!);
      await updateTestedMarks(counting, project, versions.slice(0, 1), { invocationId: 'one', actor: 'ci@example.com' });
      const forOne = reads;
      expect(forOne).toBeGreaterThan(0);
      reads = 0;
      await updateTestedMarks(counting, project, versions, { invocationId: 'two', actor: 'ci@example.com' });
      expect(reads).toBe(forOne);
    } finally {
      await registry.close();
    }
  });
});
