import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject, relaxLatencyGate } from '../support/project.js';

/**
 * Two branches (two checkouts) evaluating different drafts of support-answer@1.2.0 against one
 * team registry on PostgreSQL: each eval records its own runs and mark, bound to its content, and
 * neither replaces the other's. Once one branch deploys its draft, the other's content is refused.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const live = postgresAndSimulatorForFile();

async function cli(dir: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  return runCliInProcess(args, { cwd: dir, env });
}

async function ok(dir: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, env, ...args);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

/** A checkout of the project with its own draft of 1.2.0 (`new --minor`, then a description of its own). */
async function branch(env: Record<string, string>, description: string): Promise<string> {
  const dir = makeSimProject(live.sim.url);
  relaxLatencyGate(dir);
  await ok(dir, env, 'new', ID, '--minor');
  const file = path.join(dir, 'prompts', ID, '1.2.0.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: .*$/m, `description: ${description}`));
  return dir;
}

describe.runIf(pgOk)('drafts on a shared PostgreSQL registry', () => {
  it('two branches evaluating different drafts of 1.2.0 keep each other’s runs; the first deploy settles it', async () => {
    const url = live.cluster.url(await live.cluster.createDatabase(), { withPassword: true });
    const env = { PROMPTCTL_REGISTRY_URL: url };
    const a = await branch(env, 'Branch A draft.');
    const b = await branch(env, 'Branch B draft.');
    await ok(a, env, 'registry', 'migrate');

    await ok(a, env, 'eval', `${ID}@1.2.0`);
    await ok(b, env, 'eval', `${ID}@1.2.0`);
    await ok(a, env, 'eval', `${ID}@1.2.0`);
    const hashOf = async (dir: string) => JSON.parse((await ok(dir, env, 'show', `${ID}@1.2.0`, '--json')).stdout).contentHash as string;
    const [hashA, hashB] = [await hashOf(a), await hashOf(b)];
    expect(hashA).not.toBe(hashB);

    const registry = openPostgresRegistry({ target: postgresTarget(url) });
    try {
      const runs = await registry.listRuns({ promptId: ID, version: '1.2.0' });
      const byContent = (hash: string) => runs.filter((r) => r.promptHash === hash).length;
      expect(byContent(hashB)).toBeGreaterThan(0);
      // A's two evals, each with every suite: none of them replaced by B's, nor B's by A's second.
      expect(byContent(hashA)).toBe(2 * byContent(hashB));
      const model = runs[0]!.model;
      expect(await registry.getTestedMark(ID, '1.2.0', hashA, model)).toBeDefined();
      expect(await registry.getTestedMark(ID, '1.2.0', hashB, model)).toBeDefined();
    } finally {
      await registry.close();
    }
    for (const dir of [a, b]) expect(JSON.parse((await ok(dir, env, 'list', '--json')).stdout).prompts[0].states['1.2.0']).toBe('draft');

    // B deploys its draft: 1.2.0 is released with B's content, and A's content is refused from now on.
    await ok(b, env, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--actor', 'bo');
    const refused = await cli(a, env, 'eval', `${ID}@1.2.0`);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.stderr).toMatch(/support-answer@1\.2\.0 was edited after it was released \(deployed to development\)/);
    expect(JSON.parse((await ok(b, env, 'status', '--json')).stdout).versions).toContainEqual({ promptId: ID, version: '1.2.0', state: 'released' });
  });
});
