import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/render/html/escape.js';
import { runCliInProcess } from '../support/cli.js';
import { restartableSimulator } from '../support/restartable-simulator.js';
import { cleanupTempDirs, makeSimProject, patchServerConfig } from '../support/project.js';

/**
 * `compare` and `report <a> <b>` whose two sides ran on other weights behind the same model name
 * (the server restarted on another checkpoint between the two evals): the verdict changes may be the
 * weights', not the version's, and both say so, with the eval that puts both sides on one set of weights.
 */

const env = { PROMPTCTL_ACTOR: 'weights@example.com' };
const simulator = restartableSimulator((root) => ({ models: ['sim-model'], modelSpecs: [{ id: 'sim-model', root: root! }] }));
afterAll(() => cleanupTempDirs());

const NOTE =
  "sim-model served other weights to the two sides (root org/sim-7b-v1 for support-answer@1.0.0, root org/sim-7b-v2 for support-answer@1.1.0; suite 'golden'): the differences may come from the weights, not the version; to compare the versions alone, evaluate both on the weights served now: promptctl eval support-answer@1.0.0 support-answer@1.1.0 --suite golden --no-cache";

describe('a comparison whose sides ran on other weights behind one model name', () => {
  it('compare (text and --json) and report <a> <b> (HTML) name both weights; evaluating as the note says puts both on one and the note goes', async () => {
    const cwd = makeSimProject((await simulator.serve('org/sim-7b-v1')).url, {}, 'promptctl-compare-weights-');
    // One suite: report compares every suite that applies.
    rmSync(path.join(cwd, 'evalsets/support-answer/adversarial.yaml'));
    expect((await runCliInProcess(['eval', 'support-answer@1.0.0', '--suite', 'golden'], { cwd, env })).code).toBe(0);
    patchServerConfig(cwd, { base_url: (await simulator.serve('org/sim-7b-v2')).url });
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd, env })).code).toBe(0);
    // compare and report read stored runs only: nothing listens.
    await simulator.stop();

    const text = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden', '--no-eval'], { cwd, env });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toContain(`note: ${NOTE}\n`);
    const json = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden', '--no-eval', '--json'], { cwd, env });
    expect(json.code, json.output).toBe(0);
    expect((JSON.parse(json.stdout) as { notes: string[] }).notes).toEqual([NOTE]);

    const report = await runCliInProcess(['report', 'support-answer@1.0.0', 'support-answer@1.1.0', '-o', 'cmp.html'], { cwd, env });
    expect(report.code, report.output).toBe(0);
    const html = readFileSync(path.join(cwd, 'cmp.html'), 'utf8');
    expect(html).toContain(`<ul class="notes"><li>${escapeHtml(NOTE)}</li></ul>`);

    // Following the note: both versions on the weights served now, and the note is gone.
    patchServerConfig(cwd, { base_url: (await simulator.serve('org/sim-7b-v2')).url });
    expect((await runCliInProcess(['eval', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden', '--no-cache'], { cwd, env })).code).toBe(0);
    await simulator.stop();
    const again = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden', '--no-eval', '--json'], { cwd, env });
    expect(again.code, again.output).toBe(0);
    expect((JSON.parse(again.stdout) as { notes: string[] }).notes).toEqual([]);
  });
});
