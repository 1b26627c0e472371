import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { reportOutcome } from '../../src/cli-outcome.js';
import { REPO_ROOT, runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/**
 * Issue 14 §5: a change to the last environment (production) at a terminal asks first; `--yes`
 * skips the question, and without a terminal nothing is ever asked. A "no" changes nothing, exit 1.
 */

afterAll(() => cleanupTempDirs());

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const CONFIG = UNGATED_CONFIG;

function project(): string {
  const dir = makeProject();
  writeProjectFile(dir, '.promptrc.yaml', CONFIG);
  return dir;
}

/** promptctl at a terminal (stdin and stdout are TTYs, not CI), answering each question with `answer`. */
async function atTerminal(cwd: string, args: string[], answer: boolean | 'ctrl-c' | (() => Promise<boolean>)) {
  let stdout = '';
  let stderr = '';
  const asked: string[] = [];
  /** What stderr held when each question was asked: the dry run shown before it. */
  const before: string[] = [];
  const w = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
  const interrupt = new AbortController();
  const outcome = await runCli({
    argv: args,
    cwd,
    env: { NO_COLOR: '1', PROMPTCTL_ACTOR: 'me@example.com' },
    ...w,
    stdoutIsTTY: true,
    stdinIsTTY: true,
    version: VERSION,
    signal: interrupt.signal,
    confirm: async (q) => {
      asked.push(q);
      before.push(stderr);
      if (answer === 'ctrl-c') interrupt.abort('SIGINT');
      return typeof answer === 'function' ? answer() : answer === true;
    },
  });
  return { code: await reportOutcome(outcome, w), stdout, stderr, asked, before };
}

const history = async (dir: string) => (await runCliInProcess(['history', '--json'], { cwd: dir })).stdout;

describe('confirming a change to the last environment', () => {
  it('deploy to production asks; "no" exits 1 and records nothing; "yes" deploys', async () => {
    const dir = project();
    const no = await atTerminal(dir, ['deploy', 'support-answer@1.0.0', '--env', 'production', '--reason', 'r'], false);
    expect(no.asked).toEqual(['deploy support-answer@1.0.0 to production: production is the last environment. Go ahead?']);
    expect(no.code, no.stderr).toBe(1);
    expect(no.stderr).toContain('error: deploy support-answer@1.0.0 to production: not done, not confirmed');
    expect(no.stderr).toContain('--yes');
    expect(await history(dir)).not.toContain('"production"');
    const yes = await atTerminal(dir, ['deploy', 'support-answer@1.0.0', '--env', 'production', '--reason', 'r'], true);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.asked).toHaveLength(1);
    expect(await history(dir)).toContain('"production"');
  });

  it('the checks come first: the dry run is shown before the question, and a change they refuse is not asked about', async () => {
    const dir = project();
    const r = await atTerminal(dir, ['deploy', 'support-answer@1.0.0', '--env', 'production', '--reason', 'r'], true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.before[0]).toContain('dry run: support-answer@1.0.0 to production would be deployed\n  ok   support-answer@1.0.0 is not registered yet');
    const back = await atTerminal(dir, ['rollback', 'support-answer', '--env', 'production'], true);
    expect(back.asked).toEqual([]);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain('nothing to roll back to: 1.0.0 is the only version left');
    // A gate that refuses: no question, the refusal with its reasons (exit 1), nothing recorded.
    writeProjectFile(dir, '.promptrc.yaml', CONFIG.replace('requires_tested: false, requires_previous_env: false', 'requires_tested: true, requires_previous_env: false'));
    const refused = await atTerminal(dir, ['deploy', 'support-answer@1.1.0', '--env', 'production', '--reason', 'r'], true);
    expect(refused.asked).toEqual([]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('1.1.0 has not been tested on sim-model');
    expect(await history(dir)).not.toContain('"1.1.0"');
  });

  it('Ctrl-C at the question exits 130 and changes nothing', async () => {
    const dir = project();
    const r = await atTerminal(dir, ['deploy', 'support-answer@1.0.0', '--env', 'production'], 'ctrl-c');
    expect(r.code, r.stderr).toBe(130);
    expect(await history(dir)).not.toContain('"production"');
  });

  it('no question for an earlier environment, a dry run, --yes, or without a terminal', async () => {
    const dir = project();
    for (const args of [
      ['deploy', 'support-answer@1.0.0', '--env', 'staging'],
      ['deploy', 'support-answer@1.0.0', '--env', 'production', '--dry-run'],
      ['deploy', 'support-answer@1.0.0', '--env', 'production', '--yes'],
    ]) {
      const r = await atTerminal(dir, args, false);
      expect(r.asked, args.join(' ')).toEqual([]);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    }
    // Not a terminal (and CI=1): never asked, as before.
    const piped = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'production', '--reason', 'r', '--actor', 'ci@example.com'], { cwd: dir });
    expect(piped.code, piped.output).toBe(0);
  });

  it('promote and rollback into production ask too', async () => {
    const dir = project();
    expect((await atTerminal(dir, ['deploy', 'support-answer@1.0.0', '--env', 'staging'], false)).code).toBe(0);
    const promote = await atTerminal(dir, ['promote', 'support-answer', '--from', 'staging', '--to', 'production'], false);
    expect(promote.asked).toHaveLength(1);
    expect(promote.code).toBe(1);
    expect((await atTerminal(dir, ['promote', 'support-answer', '--from', 'staging', '--to', 'production'], true)).code).toBe(0);
    expect((await atTerminal(dir, ['deploy', 'support-answer@1.1.0', '--env', 'production', '--yes'], false)).code).toBe(0);
    const rollback = await atTerminal(dir, ['rollback', 'support-answer', '--env', 'production'], false);
    expect(rollback.asked).toEqual(['rollback support-answer in production: production is the last environment. Go ahead?']);
    expect(rollback.code).toBe(1);
    const events = (JSON.parse(await history(dir)) as { events: unknown[] }).events.length;
    expect((await atTerminal(dir, ['rollback', 'support-answer', '--env', 'production'], true)).code).toBe(0);
    expect((JSON.parse(await history(dir)) as { events: unknown[] }).events.length).toBe(events + 1);
  });

  it('an unknown environment is still exit 2, not a question', async () => {
    const r = await atTerminal(project(), ['deploy', 'support-answer@1.0.0', '--env', 'prod'], true);
    expect(r.asked).toEqual([]);
    expect(r.code).toBe(2);
  });

  it('a confirmed change is the one previewed: a change recorded while the person read it makes it refuse, nothing written', async () => {
    const dir = project();
    const other = (...args: string[]) => async () => {
      const r = await runCliInProcess([...args, '--actor', 'rm1@example.com', '--reason', 'other shell'], { cwd: dir });
      expect(r.code, r.output).toBe(0);
      return true;
    };
    const events = async () => (JSON.parse(await history(dir)) as { events: Array<{ env: string; action: string; version: string; actor: string }> }).events;
    for (const v of ['1.0.0', '1.1.0']) expect((await atTerminal(dir, ['deploy', `support-answer@${v}`, '--env', 'staging'], false)).code).toBe(0);
    // Previewed: 1.1.0 to production. Meanwhile staging is rolled back to 1.0.0: before, the "y"
    // deployed 1.0.0 to production, recorded with the reason written for 1.1.0.
    const promote = await atTerminal(dir, ['promote', 'support-answer', '--from', 'staging', '--to', 'production', '--reason', 'ship 1.1.0'], other('rollback', 'support-answer', '--env', 'staging'));
    expect(promote.before[0]).toContain('support-answer@1.1.0 to production');
    expect(promote.code, promote.stderr).toBe(1);
    expect(promote.stderr).toContain('error: staging changed: support-answer@1.0.0 is active there now, not support-answer@1.1.0');
    expect(promote.stderr).toContain('promptctl promote support-answer --from staging --to production --dry-run');
    expect((await events()).filter((e) => e.env === 'production')).toEqual([]);

    // Two release managers rolling production back: the second, confirmed on 1.0.0 -> 1.1.0, finds 1.1.0 active already.
    for (const v of ['1.0.0', '1.1.0', '1.0.0']) expect((await runCliInProcess(['deploy', `support-answer@${v}`, '--env', 'production', '--reason', 'r', '--actor', 'me@example.com'], { cwd: dir })).code).toBe(0);
    const before = (await events()).length;
    const back = await atTerminal(dir, ['rollback', 'support-answer', '--env', 'production', '--reason', 'incident'], other('rollback', 'support-answer', '--env', 'production'));
    expect(back.code, back.stderr).toBe(1);
    expect(back.stderr).toMatch(/error: production changed: support-answer@1\.1\.0 is active there now, not support-answer@1\.0\.0\n.*event #\d+ \(rollback of 1\.1\.0 by rm1@example\.com/);
    expect((await events()).length).toBe(before + 1);

    // A deploy previewed over 1.1.0, with another deploy recorded while the question was open.
    const deploy = await atTerminal(dir, ['deploy', 'support-answer@1.0.0', '--env', 'production', '--reason', 'r'], other('deploy', 'support-answer@1.0.0', '--env', 'production'));
    expect(deploy.code, deploy.stderr).toBe(1);
    expect(deploy.stderr).toContain('error: production changed: support-answer@1.0.0 is active there now, not support-answer@1.1.0');
    expect((await events()).length).toBe(before + 2);

    // The same version active again by the time of the "y" (rolled back and deployed again in
    // between): the preview's event is gone, so the confirmed rollback refuses too.
    const again = await atTerminal(dir, ['rollback', 'support-answer', '--env', 'production', '--reason', 'incident'], async () => {
      await other('deploy', 'support-answer@1.1.0', '--env', 'production')();
      await other('deploy', 'support-answer@1.0.0', '--env', 'production')();
      return true;
    });
    expect(again.code, again.stderr).toBe(1);
    expect(again.stderr).toMatch(/error: production changed since the change was previewed: event #\d+ \(deploy of 1\.0\.0 by rm1@example\.com, [^)]+\) was recorded after it/);
    expect((await events()).length).toBe(before + 4);
  });

  it('--if-active binds a scripted change the same way (a double-clicked rollback goes one step back, not two)', async () => {
    const dir = project();
    const run = (...args: string[]) => runCliInProcess([...args, '--reason', 'r', '--actor', 'ci@example.com'], { cwd: dir });
    expect((await run('deploy', 'support-answer@1.0.0', '--env', 'staging', '--if-active', 'none')).code).toBe(0);
    expect((await run('deploy', 'support-answer@1.1.0', '--env', 'staging', '--if-active', '1.0.0')).code).toBe(0);
    expect((await run('deploy', 'support-answer@1.0.0', '--env', 'staging', '--if-active', '1.0.0')).code).toBe(1);
    expect((await run('rollback', 'support-answer', '--env', 'staging', '--if-active', '1.1.0')).code).toBe(0);
    const twice = await run('rollback', 'support-answer', '--env', 'staging', '--if-active', '1.1.0');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('error: staging changed: support-answer@1.0.0 is active there now, not support-answer@1.1.0');
    const dry = await run('rollback', 'support-answer', '--env', 'staging', '--if-active', '1.1.0', '--dry-run');
    expect(dry.code).toBe(1);
    const bad = await run('rollback', 'support-answer', '--env', 'staging', '--if-active', 'latest');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--if-active');
  });
});
