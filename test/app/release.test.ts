import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify, deploy, exportPrompts, getPrompt, history, promote, rollback, status } from '../../src/app/index.js';
import { InputError } from '../../src/core/errors.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { fakeClock } from '../support/fake-clock.js';
import { markTested } from '../support/registry-cli.js';

/**
 * The release use cases called the way a script calls them: data back, refusals as results with
 * the exit code the CLI would use, bad input as typed errors. Nothing here spawns the CLI.
 */

const ID = 'support-answer';
let cwd: string;
const clock = fakeClock();
const env = {};
const who = { actor: 'script@example.com', reason: 'release script' };

beforeAll(() => {
  cwd = makeProject();
  markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
});
afterAll(() => cleanupTempDirs());

describe('release use cases (src/app)', () => {
  it('deploy returns the outcome and its event, dated by the injected clock', async () => {
    // Ahead of the marks (recorded with the real clock): an append is never dated before the newest event.
    const ahead = fakeClock(100 * 365 * 86_400_000);
    const r = await deploy({ cwd, env, clock: ahead, ref: `${ID}@1.0.0`, environment: 'staging' });
    expect(r).toMatchObject({ promptId: ID, version: '1.0.0', env: 'staging', allowed: true, previousVersion: null, exitCode: 0 });
    expect(r.event).toMatchObject({ action: 'deploy', version: '1.0.0', at: ahead.date().toISOString() });
  });

  it('an unattended production dry run without actor or reason is a result with exit code 2, not a throw', async () => {
    const r = await deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'production', dryRun: true });
    expect(r.allowed).toBe(false);
    expect(r.exitCode).toBe(2);
    expect(r.checks.filter((c) => c.kind === 'accountability').map((c) => (c.kind === 'accountability' ? c.requirement : ''))).toEqual(['reason', 'actor']);
    expect(r.event).toBeUndefined();
  });

  it('an unattended production deploy without actor or reason is one refusal naming both, whose hint meets both', async () => {
    const refused = await deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'production' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    // In the options a script passes (the CLI's own test says --reason).
    expect(refused).toMatchObject({ message: 'deploying to production without a terminal needs reason: "..." and a named actor', hint: expect.stringMatching(/^add reason: "why", actor: "you@example\.com"/) });
    expect((refused as InputError).why).toMatch(/unattended\.require_reason.*unattended\.require_actor/);
  });

  it('promote without `from` promotes from the previous environment in the configured order', async () => {
    const r = await promote({ cwd, env, clock, id: ID, to: 'production', ...who });
    expect(r).toMatchObject({ from: 'staging', to: 'production', active: '1.0.0', exitCode: 0 });
    expect(r.backwards).toBeUndefined();
    expect(r.outcome?.event?.action).toBe('deploy');
  });

  it('promote to the first environment without `from` is bad input', async () => {
    await expect(promote({ cwd, env, clock, id: ID, to: 'development' })).rejects.toBeInstanceOf(InputError);
  });

  it('a backwards promote says so as data', async () => {
    const r = await promote({ cwd, env, clock, id: ID, from: 'production', to: 'development', dryRun: true });
    expect(r.backwards).toEqual({ from: 'production', to: 'development', order: ['development', 'staging', 'production'] });
    expect(r.exitCode).toBe(0);
  });

  it('nothing active in the source environment: no outcome, exit code 1', async () => {
    const r = await promote({ cwd, env, clock, id: ID, from: 'development', to: 'staging' });
    expect(r).toMatchObject({ active: null, exitCode: 1 });
    expect(r.outcome).toBeUndefined();
  });

  it('rollback walks back, and a rollback with nowhere to go is a refused plan (exit code 1) that writes nothing', async () => {
    await deploy({ cwd, env, clock, ref: `${ID}@1.1.0`, environment: 'staging' });
    const back = await rollback({ cwd, env, clock, id: ID, environment: 'staging' });
    expect(back).toMatchObject({ plan: { ok: true, from: '1.1.0', to: '1.0.0' }, allowed: true, remaining: [{ version: '1.0.0' }], exitCode: 0 });
    const none = await rollback({ cwd, env, clock, id: ID, environment: 'staging' });
    expect(none).toMatchObject({ plan: { ok: false }, allowed: false, exitCode: 1 });
    expect(none.event).toBeUndefined();
    expect((await history({ cwd, env, id: ID, environment: 'staging' })).events.map((e) => e.action)).toEqual(['deploy', 'deploy', 'rollback']);
  });

  it('status, getPrompt and exportPrompts read what was deployed', async () => {
    const { rows } = await status({ cwd, env, environment: 'production' });
    expect(rows).toEqual([expect.objectContaining({ promptId: ID, env: 'production', version: '1.0.0', tested: true, deployedBy: 'script@example.com' })]);
    const active = await getPrompt({ cwd, env, id: ID, environment: 'staging' });
    expect(active).toMatchObject({ id: ID, version: '1.0.0', effective: { model: 'sim-model' } });
    const { bundle, output } = await exportPrompts({ cwd, env, clock, environment: 'production' });
    expect(Object.keys(bundle.prompts)).toEqual([ID]);
    expect(bundle.exportedAt).toBe(clock.date().toISOString());
    expect(output).toBeUndefined();
    await expect(getPrompt({ cwd, env, id: ID, environment: 'development' })).rejects.toBeInstanceOf(InputError);
  });

  it('auditVerify returns the verdict of the hash chain', async () => {
    // Two tested marks and four changes to environments, one chain.
    // The first deploy above is dated a century ahead by its injected clock, and every later event
    // after it: verify, on the real clock, warns of the newest.
    expect(await auditVerify({ cwd, env })).toEqual({
      ok: true,
      events: 6,
      exitCode: 0,
      signatures: { evaluator: 0, deployer: 0, unsigned: 6, pinned: false },
      warnings: [expect.stringMatching(/^event 6 is dated 21\d\d-.*, after this machine's clock/)],
    });
  });
});
