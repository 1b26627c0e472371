import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { systemClock } from '../../src/infra/clock.js';
import { loadProject } from '../../src/infra/project.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject, relaxLatencyGate } from '../support/project.js';

/**
 * A gate decision rests on the event log as it is when the change's event is appended. Another
 * session appends an event (a rollback of staging, a withdrawn tested mark) inside a transaction
 * it holds open, so the chain head stays locked; the deploy or promote decides on the log without
 * that event, then waits for the head. Only once the server shows it waiting (a state, not a time)
 * is the other transaction committed. Before, the deploy appended on its stale decision (exit 0);
 * now its append finds the head moved and it decides again on the log as it is (refused, exit 1).
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const live = postgresAndSimulatorForFile();

async function ok(dir: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

/** A project on a fresh database; production gates only on staging having the version (and on no latency). */
async function teamProject(): Promise<{ dir: string; env: Record<string, string>; database: string }> {
  const dir = makeSimProject(live.sim.url);
  relaxLatencyGate(dir);
  const rc = path.join(dir, '.promptrc.yaml');
  const config = parseYaml(readFileSync(rc, 'utf8')) as { environments: Array<{ name: string; gates?: Record<string, unknown> }> };
  const production = config.environments.find((e) => e.name === 'production')!;
  production.gates = { requires_tested: false, requires_previous_env: true, min_adversarial_pass_rate: null, max_p95_latency_increase_ms: 3_600_000 };
  writeFileSync(rc, stringifyYaml(config));
  const database = await live.cluster.createDatabase();
  const env = { PROMPTCTL_REGISTRY_URL: live.cluster.url(database, { withPassword: true }), PROMPTCTL_ACTOR: 'ana@example.com' };
  await ok(dir, env, 'registry', 'migrate');
  return { dir, env, database };
}

/** Appends with `append` in a transaction held open until `command` waits on a lock, then commits; the command's result. */
async function racing(dir: string, env: Record<string, string>, database: string, append: (tx: Registry, hashOf: (version: string) => string) => Promise<unknown>, command: string[]): Promise<RunResult> {
  const project = loadProject(dir);
  const hashOf = (version: string) => project.prompts.find((p) => p.id === ID && p.version === version)!.hash;
  const registry = openProjectRegistry(project, { env, clock: systemClock });
  let running: Promise<RunResult> | undefined;
  try {
    await registry.transaction(async (tx) => {
      await append(tx, hashOf);
      running = runCliInProcess(command, { cwd: dir, env });
      const waiting = async () => Number((await live.cluster.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [database]))[0]!.n);
      while ((await waiting()) === 0) await new Promise((r) => setImmediate(r));
    });
  } finally {
    await registry.close();
  }
  return running!;
}

describe.runIf(pgOk)('a decision whose log changed before its event was appended', () => {
  it('a promote to production meets the rollback of staging made meanwhile: refused, nothing recorded', async () => {
    const { dir, env, database } = await teamProject();
    for (const version of ['1.0.0', '1.1.0']) {
      await ok(dir, env, 'eval', `${ID}@${version}`);
      await ok(dir, env, 'deploy', `${ID}@${version}`, '--env', 'staging');
    }
    const r = await racing(dir, env, database, (tx, hashOf) => tx.appendEvent({ env: 'staging', promptId: ID, version: '1.0.0', previousVersion: '1.1.0', action: 'rollback', actor: 'bo@example.com', reason: 'bad answers', contentHash: hashOf('1.0.0') }), ['promote', ID, '--from', 'staging', '--to', 'production', '--reason', 'ship it']);
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain('1.1.0 was rolled back in staging (event #5)');
    expect(JSON.parse((await ok(dir, env, 'history', ID, '--env', 'production', '--json')).stdout).events).toEqual([]);
  });

  it('a deploy meets the tested mark withdrawn meanwhile: refused, nothing recorded', async () => {
    const { dir, env, database } = await teamProject();
    await ok(dir, env, 'eval', `${ID}@1.1.0`);
    const r = await racing(dir, env, database, (tx, hashOf) => tx.revokeTestedMark(ID, '1.1.0', hashOf('1.1.0'), 'sim-model', 'ci@example.com'), ['deploy', `${ID}@1.1.0`, '--env', 'staging']);
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain('1.1.0 has not been tested on sim-model');
    expect(JSON.parse((await ok(dir, env, 'history', ID, '--env', 'staging', '--json')).stdout).events).toEqual([]);
  });
});
