import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evalReportSources, runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { restartableSimulator } from '../support/restartable-simulator.js';
import { cleanupTempDirs, makeSimProject, patchServerConfig } from '../support/project.js';

/**
 * ci --html's comparison with the deployed version (evalReportSources): the deployed version's runs
 * were answered by the weights the model name served then, the candidate's by the ones it serves
 * now. The report's notes say so, as compare and report <a> <b> do.
 */

const env = { PROMPTCTL_ACTOR: 'weights@example.com' };
const simulator = restartableSimulator((root) => ({ models: ['sim-model'], modelSpecs: [{ id: 'sim-model', root: root! }] }));
afterAll(() => cleanupTempDirs());

describe('the pull request report beside the deployed version, on other weights', () => {
  it('names both weights in a note', async () => {
    const cwd = makeSimProject((await simulator.serve('org/sim-7b-v1')).url, {}, 'promptctl-deployed-weights-');
    rmSync(path.join(cwd, 'evalsets/support-answer/adversarial.yaml'));
    expect((await runEval({ cwd, env, refs: ['support-answer@1.0.0'] })).exitCode).toBe(0);
    const deployed = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'staging'], { cwd, env });
    expect(deployed.code, deployed.output).toBe(0);
    patchServerConfig(cwd, { base_url: (await simulator.serve('org/sim-7b-v2')).url });
    const { report } = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], baseline: 'staging' });
    expect(report.baselines.map((b) => b.baselineVersion)).toContain('1.0.0');
    const sources = await evalReportSources({ cwd, env, report });
    expect(sources.comparison).toEqual({ promptId: 'support-answer', a: '1.0.0', b: '1.1.0' });
    expect(sources.notes).toContain(
      "sim-model served other weights to the two sides (root org/sim-7b-v1 for support-answer@1.0.0, root org/sim-7b-v2 for support-answer@1.1.0; suite 'golden'): the differences may come from the weights, not the version; to compare the versions alone, evaluate both on the weights served now: promptctl eval support-answer@1.0.0 support-answer@1.1.0 --suite golden --no-cache",
    );
  });
});
