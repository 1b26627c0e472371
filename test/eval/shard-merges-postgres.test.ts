import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shardInputsKey } from '../../src/core/eval/shard.js';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { systemClock } from '../../src/infra/clock.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { generatedGoldenSuite, makeSimProject, relaxLatencyGate, writeProjectFile } from '../support/project.js';

/**
 * A merge job run again, a retried shard and a developer's `eval --resume` beside a sharded
 * invocation: each merge judges the same merged runs until a shard runs again, `report` shows the
 * invocation's newest merge once, and an ordinary eval never adopts a merged run.
 */

const pgOk = postgresAvailable();
const REF = 'support-answer@1.1.0';
const live = postgresAndSimulatorForFile();

async function exits(code: number, dir: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  return r;
}

async function teamProject(): Promise<{ dir: string; env: Record<string, string>; database: string }> {
  const dir = makeSimProject(live.sim.url);
  relaxLatencyGate(dir);
  writeProjectFile(dir, 'evalsets/support-answer/bulk.yaml', generatedGoldenSuite({ count: 8, threshold: 0.9, versions: '1.1.0' }));
  const database = await live.cluster.createDatabase();
  const env = { PROMPTCTL_REGISTRY_URL: live.cluster.url(database, { withPassword: true }) };
  await exits(0, dir, env, 'registry', 'migrate');
  return { dir, env, database };
}

const bulk = ['--suite', 'bulk'];

describe.runIf(pgOk)('merges of one sharded invocation', { timeout: 120_000 }, () => {
  it('an incomplete merge run again is reused, not copied again; report counts the newest merge once', async () => {
    const { dir, env } = await teamProject();
    const merge = async (code: number) => JSON.parse((await exits(code, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'dr1', '--json')).stdout) as EvalReport;
    await exits(0, dir, env, 'eval', REF, ...bulk, '--shard', '1/2', '--invocation', 'dr1');
    const first = await merge(1);
    const again = await merge(1);
    expect(again.runs.map((o) => o.run.id), 'the same incomplete merged run').toEqual(first.runs.map((o) => o.run.id));
    expect(again.merge!.missing.map((m) => m.shard)).toEqual(['2/2']);

    await exits(0, dir, env, 'eval', REF, ...bulk, '--shard', '2/2', '--invocation', 'dr1');
    await merge(0);
    // A retried shard job, then the merge again: a new merged run of the same suite.
    await exits(0, dir, env, 'eval', REF, ...bulk, '--shard', '2/2', '--invocation', 'dr1');
    const last = await merge(0);
    const report = JSON.parse((await exits(0, dir, env, 'report', 'dr1', '-o', 'r.html', '--json')).stdout) as { runs: number; cases: number };
    expect(report).toMatchObject({ runs: 1, cases: 8 });
    expect(last.runs[0]!.run.summary!.cases).toBe(8);
  });

  it('eval --resume never adopts an incomplete merged run, so the next merge stays incomplete', async () => {
    const { dir, env } = await teamProject();
    // Shard 1/2 ran a wrong share of the cases: other inputs than the merge's.
    await exits(0, dir, env, 'eval', REF, ...bulk, '--shard', '1/2', '--invocation', 'cs1', '--case', 'gen-00000', 'gen-00001');
    await exits(0, dir, env, 'eval', REF, ...bulk, '--shard', '2/2', '--invocation', 'cs1');
    const merged = JSON.parse((await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'cs1', '--json')).stdout) as EvalReport;
    const resumed = JSON.parse((await exits(0, dir, env, 'eval', REF, ...bulk, '--resume', '--json')).stdout) as EvalReport;
    expect(resumed.runs[0]!.run.id).not.toBe(merged.runs[0]!.run.id);
    const next = await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'cs1');
    expect(next.stdout).toMatch(/support-answer@1\.1\.0 bulk: shard 1\/2 ran with other inputs/);
  });

  it('eval --resume does not adopt a merge recorded before merged runs had their own inputs key either', async () => {
    const { dir, env, database } = await teamProject();
    const whole = JSON.parse((await exits(0, dir, env, 'eval', REF, ...bulk, '--json')).stdout) as EvalReport;
    await exits(0, dir, env, 'eval', REF, ...bulk, '--shard', '1/2', '--invocation', 'old1');
    const merged = JSON.parse((await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'old1', '--json')).stdout) as EvalReport;
    // What an older promptctl recorded: the unsharded run's inputs key, and no mergedFrom.
    const summary = { ...merged.runs[0]!.run.summary!, mergedFrom: undefined };
    await live.cluster.query('UPDATE promptctl.runs SET inputs_key = $1, summary = $2 WHERE id = $3', [whole.runs[0]!.run.inputsKey, JSON.stringify(summary), merged.runs[0]!.run.id], database);
    const resumed = JSON.parse((await exits(0, dir, env, 'eval', REF, ...bulk, '--resume', '--json')).stdout) as EvalReport;
    expect(resumed.runs[0]!.run.id).not.toBe(merged.runs[0]!.run.id);
    await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'old1');
  });

  it('a merge after every shard ran on other inputs says so, not that none finished', async () => {
    const { dir, env } = await teamProject();
    for (const i of [1, 2]) await exits(0, dir, env, 'eval', REF, ...bulk, '--shard', `${i}/2`, '--invocation', 'dr2');
    const r = await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'dr2', '--repeat', '2');
    expect(r.stdout).toMatch(/support-answer@1\.1\.0 bulk: every shard of invocation dr2 ran with other inputs than this merge/);
  });

  it('a shard retried with another --suite holds other cases than the merge assigns it: missing, not merged as not run', async () => {
    const { dir, env } = await teamProject();
    writeProjectFile(dir, 'evalsets/support-answer/basics.yaml', generatedGoldenSuite({ count: 3, versions: '1.1.0', prefix: 'b' }));
    const both = ['--suite', 'basics', '--suite', 'golden'];
    // basics plans before golden, its odd count shifting golden's cases to the other shards.
    for (const i of [1, 2]) await exits(0, dir, env, 'eval', REF, ...both, '--shard', `${i}/2`, '--invocation', 'rs1');
    // Shard 1's job retried with golden alone: golden's cases fall to the shards otherwise, so it
    // holds the two that shard 2 ran too.
    await exits(0, dir, env, 'eval', REF, '--suite', 'golden', '--shard', '1/2', '--invocation', 'rs1');
    const r = await exits(1, dir, env, 'eval', REF, ...both, '--merge', '--invocation', 'rs1', '--json');
    const merge = (JSON.parse(r.stdout) as EvalReport).merge!;
    expect(merge.missing.filter((m) => m.suite === 'golden').map((m) => `${m.shard} ${m.state}`).sort()).toEqual(['1/2 other inputs']);
    const text = await exits(1, dir, env, 'eval', REF, ...both, '--merge', '--invocation', 'rs1');
    expect(text.stdout).toMatch(/support-answer@1\.1\.0 golden: shard 1\/2 ran with other inputs \([^)]*--suite/);
  });

  it('a merge while the shards still run names each with its lease holder and expiry, and asks to wait, not to run them again', async () => {
    const { dir, env, database } = await teamProject();
    const planned = (JSON.parse((await exits(0, dir, env, 'eval', REF, ...bulk, '--json')).stdout) as EvalReport).runs[0]!.run;
    // Two shard jobs on other machines opened their runs and hold their leases, as an eval does (session-runs.ts).
    const team = openPostgresRegistry({ target: postgresTarget(live.cluster.url(database), { password: live.cluster.password }), clock: systemClock });
    const runs: string[] = [];
    try {
      for (const index of [1, 2]) {
        const { status: _s, endedAt: _e, summary: _x, ...fields } = planned;
        const id = randomUUID();
        runs.push(id);
        await team.createRun({ ...fields, id, invocationId: 'live1', inputsKey: shardInputsKey(planned.inputsKey, 'live1', { index, count: 2 }), startedAt: new Date().toISOString() });
        expect(await team.acquireLease(id, `4242${index}@ci-runner-${index} (invocation live1)`, 3_600_000)).toMatchObject({ ok: true });
      }
      const report = JSON.parse((await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'live1', '--json')).stdout) as EvalReport;
      expect(report.merge!.count).toBe(2);
      expect(report.merge!.missing.map((m) => `${m.shard} ${m.state} ${m.lease?.holder}`)).toEqual(['1/2 still running 42421@ci-runner-1 (invocation live1)', '2/2 still running 42422@ci-runner-2 (invocation live1)']);
      const text = (await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'live1')).stdout;
      expect(text).toMatch(/support-answer@1\.1\.0 bulk: shard 1\/2 is still running: 42421@ci-runner-1 \(invocation live1\) holds its run's lease until \d{4}-\d\d-\d\dT[\d:.]+Z/);
      expect(text).toContain('hint: the verdict is incomplete, never passed: wait for the running shard jobs to end');
      expect(text).not.toContain('run the missing shard job');

      // Shard 1's job is gone and its lease with it: that one is to run again, shard 2 still waited for.
      await team.releaseLease(runs[0]!, '42421@ci-runner-1 (invocation live1)');
      const mixed = (await exits(1, dir, env, 'eval', REF, ...bulk, '--merge', '--invocation', 'live1')).stdout;
      expect(mixed).toMatch(/bulk: shard 1\/2 has not finished \(still running, or its job crashed\)/);
      expect(mixed).toMatch(/bulk: shard 2\/2 is still running: 42422@ci-runner-2/);
      expect(mixed).toContain('; run the other missing shard job again in the same CI run (or with --invocation live1), then the merge again');
    } finally {
      await team.close();
    }
  });
});
