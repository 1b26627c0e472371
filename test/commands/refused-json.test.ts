import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { writeProjectFile } from '../support/project.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/** A refused deploy or rollback under --json: one object with the result's checks and the error's fields. */

describe('a refusal under --json', () => {
  it('deploy: the checks with their kind beside the error fields, the exit code kept, no hint about text "above"', async ({ project: dir }) => {
    const r = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'production', '--actor', 'rm', '--reason', 'r', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(1);
    const j = JSON.parse(r.stdout) as { error: string; exitCode: number; message: string; hint: string; reasons: string[]; checks: Array<{ kind: string; ok: boolean }>; promptId: string; version: string; env: string };
    expect(j).toMatchObject({ error: 'GateFailed', exitCode: 1, promptId: 'support-answer', version: '1.1.0', env: 'production', message: 'deploy of support-answer@1.1.0 to production refused' });
    expect(j.checks.filter((c) => !c.ok).map((c) => c.kind)).toContain('previous-environment');
    expect(j.reasons.length).toBe(j.checks.filter((c) => !c.ok).length);
    expect(j.hint).not.toMatch(/above/);
    expect(r.stderr).toMatch(/^error: deploy of support-answer@1\.1\.0 to production refused$/m);
  });

  it('rollback with nowhere to go: the stack and checks beside the error fields', async ({ project: dir }) => {
    const r = await runCliInProcess(['rollback', 'support-answer', '--env', 'development', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: 'GateFailed', exitCode: 1, promptId: 'support-answer', env: 'development', allowed: false, checks: [], remaining: [], rolledAway: [] });
  });

  it('rollback where every earlier version was rolled away from: which ones, each once', async ({ project: dir }) => {
    writeProjectFile(dir, '.promptrc.yaml', UNGATED_CONFIG);
    for (const v of ['1.1.0', '1.0.0', '1.1.0']) {
      const d = await runCliInProcess(['deploy', `support-answer@${v}`, '--env', 'staging'], { cwd: dir });
      expect(d.code, d.output).toBe(0);
    }
    expect((await runCliInProcess(['rollback', 'support-answer', '--env', 'staging'], { cwd: dir })).code).toBe(0);
    const r = await runCliInProcess(['rollback', 'support-answer', '--env', 'staging', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ remaining: ['1.1.0', '1.0.0'], rolledAway: ['1.1.0'] });
  });
});
