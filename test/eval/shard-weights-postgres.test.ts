import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiResult } from '../../src/core/ci/result.js';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { commitAll, git, initRepo } from '../support/ci-repo.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { startHeldProxy, type HeldProxy } from '../support/held-proxy.js';
import { generatedGoldenSuite, makeSimProject, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Shards answered by different weights behind one model name (a rollout between the jobs, or jobs
 * pointed at different servers) are not merged into one verdict: the merge names each shard and its
 * weights, is incomplete (exit 1, as a shard on other inputs), and records no tested mark; shards run
 * again against one set of weights merge as usual, and the merged run records those weights.
 */

const pgOk = postgresAvailable();
const REF = 'support-answer@1.1.0';
// `sim-model` loads root "sim-model" on the first simulator, org/sim-7b-v1 on the second.
const live = postgresAndSimulatorForFile();
const swapped = simulatorForFile({ modelSpecs: [{ id: 'sim-model', root: 'org/sim-7b-v1' }] });
// The project's one server.base_url, in front of either: the jobs' configuration is the same commit's.
let server: HeldProxy;
beforeAll(async () => {
  if (pgOk) server = await startHeldProxy(live.sim.origin);
});
afterAll(() => server?.close());

async function exits(code: number, dir: string, env: Record<string, string | undefined>, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  return r;
}

async function teamProject(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = makeSimProject(server.url);
  relaxLatencyGate(dir);
  writeProjectFile(dir, 'evalsets/support-answer/bulk.yaml', generatedGoldenSuite({ count: 8, threshold: 0.9, versions: '>=1.1.0' }));
  const env = { PROMPTCTL_ACTOR: 'ci@example.com', PROMPTCTL_REGISTRY_URL: live.cluster.url(await live.cluster.createDatabase(), { withPassword: true }) };
  await exits(0, dir, env, 'registry', 'migrate');
  return { dir, env };
}

/** Runs `args` with the project's server answering from `sim`. */
async function on(sim: { origin: string }, code: number, dir: string, env: Record<string, string | undefined>, ...args: string[]): Promise<RunResult> {
  server.retarget(sim.origin);
  return exits(code, dir, env, ...args);
}

const MIXED_HINT = "run the shard jobs again against one set of weights (every job's server.base_url serving the same root under the model name; the shards those weights answered need not run again), in the same CI run (or with --invocation";

describe.runIf(pgOk)('shards answered by different weights', { timeout: 120_000 }, () => {
  it('eval --merge refuses them (exit 1, no mark), naming each shard and its root; run again on one set of weights, they merge', async () => {
    const { dir, env } = await teamProject();
    const bulk = ['--invocation', 'mw'];
    await on(live.sim, 0, dir, env, 'eval', REF, ...bulk, '--shard', '1/2', '--no-cache');
    await on(swapped, 0, dir, env, 'eval', REF, ...bulk, '--shard', '2/2', '--no-cache');

    const r = await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--json', '--junit', 'j.xml', '--summary', 's.md');
    const report = JSON.parse(r.stdout) as EvalReport;
    const bulkShards = report.merge!.missing.filter((m) => m.suite === 'bulk');
    expect(bulkShards).toEqual([
      { promptId: 'support-answer', version: '1.1.0', suite: 'bulk', shard: '1/2', state: 'other weights', model: 'sim-model', weights: 'sim-model' },
      { promptId: 'support-answer', version: '1.1.0', suite: 'bulk', shard: '2/2', state: 'other weights', model: 'sim-model', weights: 'org/sim-7b-v1' },
    ]);
    // Every suite's shards are set aside, not only those that mixed within the suite: one mark names one set of weights.
    expect(new Set(report.merge!.missing.map((m) => `${m.suite} ${m.state}`))).toEqual(new Set(['adversarial other weights', 'bulk other weights', 'golden other weights']));
    for (const o of report.runs) expect([o.run.status, o.run.summary!.verdict, o.run.summary!.cachedRoot, o.run.summary!.mergedFrom]).toEqual(['aborted', 'incomplete', undefined, []]);
    expect(report.versions).toEqual([expect.objectContaining({ promptId: 'support-answer', version: '1.1.0', tested: false })]);

    const line1 = 'support-answer@1.1.0 bulk: shard 1/2 was answered by root sim-model behind "sim-model", and other shards of the invocation by other weights';
    const line2 = 'support-answer@1.1.0 bulk: shard 2/2 was answered by root org/sim-7b-v1 behind "sim-model", and other shards of the invocation by other weights';
    const junit = readFileSync(path.join(dir, 'j.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="shards"[^>]*failures="6"/);
    for (const line of [line1, line2, MIXED_HINT]) expect(junit).toContain(line);
    const summary = readFileSync(path.join(dir, 's.md'), 'utf8');
    expect(summary).toContain('### ❌ Incomplete: shards answered by different weights');

    const text = await exits(1, dir, env, 'eval', REF, ...bulk, '--merge');
    expect(text.stdout).toContain('INCOMPLETE: shards of invocation mw were answered by different weights');
    for (const line of [line1, line2]) expect(text.stdout).toContain(`  ${line}`);
    expect(text.stdout).toContain(`hint: the verdict is incomplete, never passed: ${MIXED_HINT} mw), then the merge again`);
    expect(text.stdout).not.toMatch(/tested on sim-model/);

    // Shard 1/2 run again on the second server's weights: the invocation names one set, merged and recorded.
    await on(swapped, 0, dir, env, 'eval', REF, ...bulk, '--shard', '1/2', '--no-cache');
    const again = JSON.parse((await exits(0, dir, env, 'eval', REF, ...bulk, '--merge', '--json')).stdout) as EvalReport;
    expect(again.merge!.missing).toEqual([]);
    for (const o of again.runs) expect([o.run.summary!.cachedRoot, o.run.summary!.served]).toEqual(['org/sim-7b-v1', { root: 'org/sim-7b-v1' }]);
    expect(again.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    // A deploy of the merged verdict records those weights, as after an unsharded run (before: no root).
    const deployed = JSON.parse((await exits(0, dir, env, 'deploy', REF, '--env', 'staging', '--json')).stdout);
    expect(deployed.event.detail.served).toEqual({ model: 'sim-model', root: 'org/sim-7b-v1', request: { model: 'sim-model', temperature: 0, max_tokens: 200 } });
  });

  it('a run on new weights between the shard jobs and the merge stays the current one: the merged run does not name the old weights current', async () => {
    const { dir, env } = await teamProject();
    const bulk = ['--invocation', 'mn'];
    await on(live.sim, 0, dir, env, 'eval', REF, ...bulk, '--shard', '1/2', '--no-cache');
    await on(live.sim, 0, dir, env, 'eval', REF, ...bulk, '--shard', '2/2', '--no-cache');
    // The model's weights change, and another version's eval records them before the merge job.
    await on(swapped, 0, dir, env, 'eval', 'support-answer@1.0.0', '--no-cache');
    const merged = JSON.parse((await on(swapped, 0, dir, env, 'eval', REF, ...bulk, '--merge', '--json')).stdout) as EvalReport;
    for (const o of merged.runs) expect([o.run.summary!.cachedRoot, o.run.summary!.served]).toEqual(['sim-model', undefined]);
    expect(merged.versions).toEqual([expect.objectContaining({ promptId: 'support-answer', version: '1.1.0', tested: false })]);
  });

  it('ci --merge refuses them the same way: incomplete, exit 1, said in the summary', async () => {
    const { dir, env } = await teamProject();
    initRepo(dir, 'the example project');
    git(dir, 'checkout', '-q', '-b', 'candidate');
    await exits(0, dir, env, 'new', 'support-answer', '--minor', '--description', 'a candidate');
    commitAll(dir, 'candidate 1.2.0');
    const ci = { ...env, GITHUB_RUN_ID: '300', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/prompts', GITHUB_BASE_REF: undefined };
    await on(live.sim, 0, dir, ci, 'ci', '--base', 'main', '--shard', '1/2');
    await on(swapped, 0, dir, ci, 'ci', '--base', 'main', '--shard', '2/2');
    const r = JSON.parse((await exits(1, dir, ci, 'ci', '--base', 'main', '--merge', '--summary', 's.md', '--json')).stdout) as CiResult;
    expect(r.verdict).toBe('incomplete');
    expect(new Set(r.merge!.missing.map((m) => `${m.shard} ${m.state} ${m.weights}`)), JSON.stringify(r.merge)).toEqual(new Set(['1/2 other weights sim-model', '2/2 other weights org/sim-7b-v1']));
    expect(r.report!.versions).toContainEqual(expect.objectContaining({ promptId: 'support-answer', version: '1.2.0', tested: false }));
    expect(readFileSync(path.join(dir, 's.md'), 'utf8')).toContain('❌ promptctl ci: incomplete, the shards were answered by different weights (exit 1)');
  });
});
