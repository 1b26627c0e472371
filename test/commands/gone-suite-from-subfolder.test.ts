import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, makeSimProject, removeProjectFile } from '../support/project.js';
import { markReleased, markTested, patchConfig } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The restore command printed for a gone suite file names it from the folder the command ran in,
 * where git reads a pathspec, as a deleted version file's does (restore-from-subfolder.test.ts).
 * Before, lint, eval, deploy and status printed `git checkout -- evalsets/…` from any folder, which
 * fails below the project root ("pathspec … did not match"). At the root the words are unchanged.
 */

afterAll(() => cleanupTempDirs());

const sim = simulatorForFile();
const ID = 'support-answer';
const GOLDEN = `evalsets/${ID}/golden.yaml`;
/** GOLDEN from prompts/ and from evalsets/. */
const FROM_PROMPTS = `../${GOLDEN}`;
const FROM_EVALSETS = `${ID}/golden.yaml`;
const gitLog = (file: string) => `\`git log --all -- ${file}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${file}\` brings it back`;
const retire = (suite: string) => `to retire the suite deliberately, list ${ID}/${suite} under retired_suites in .promptrc.yaml (a reviewed change)`;

/** Outside git: 1.1.0 tested on both suites (runs on its content) and active in development, then golden's file gone. */
function goldenGone(dir: string): string {
  markTested(dir, `${ID}@1.1.0`);
  markReleased(dir, `${ID}@1.1.0`, 'development');
  removeProjectFile(dir, GOLDEN);
  return dir;
}

describe('restore commands for a gone suite file, from a subfolder', () => {
  it("lint's suite/deleted, and eval's refusal of the same deletion: the path from the cwd, run there it restores the file", async () => {
    const dir = makeProject();
    initRepo(dir);
    removeProjectFile(dir, GOLDEN);
    const message = (file: string) => `${GOLDEN} error suite 'golden' of ${ID} was deleted in this checkout and the deletion is not committed: restore it (git checkout -- ${file}), or ${retire('golden')} [suite/deleted]`;
    for (const [cwd, file] of [
      [path.join(dir, 'prompts'), FROM_PROMPTS],
      [path.join(dir, 'evalsets'), FROM_EVALSETS],
      [dir, GOLDEN],
    ] as const) {
      const lint = await cli(cwd, 'lint');
      expect(lint.code, lint.output).toBe(2);
      expect(lint.output).toContain(message(file));
      const evaluated = await cli(cwd, 'eval', `${ID}@1.1.0`);
      expect(evaluated.code, evaluated.output).toBe(2);
      expect(evaluated.stderr).toContain(`restore it (git checkout -- ${file})`);
    }
    // The command printed in evalsets/ works there.
    git(path.join(dir, 'evalsets'), 'checkout', '--', FROM_EVALSETS);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it("eval's reason for marking no version (goneSuiteReason)", async () => {
    const dir = goldenGone(makeSimProject(sim.url));
    const reasonFrom = async (cwd: string) => {
      const r = await cli(cwd, 'eval', `${ID}@1.1.0`, '--json');
      expect(r.code, r.output).toBe(1);
      return (JSON.parse(r.stdout) as { versions: Array<{ reason: string }> }).versions[0]!.reason;
    };
    expect(await reasonFrom(path.join(dir, 'prompts'))).toContain(`so deploy and promote refuse 1.1.0; restore the file (${gitLog(FROM_PROMPTS)}), or ${retire('golden')}`);
    expect(await reasonFrom(dir)).toContain(`so deploy and promote refuse 1.1.0; restore the file (${gitLog(GOLDEN)}), or ${retire('golden')}`);
  });

  it("eval's refusal when every suite is gone (everySuiteGone): its problems and, all retired, its hint", async () => {
    const dir = goldenGone(makeProject());
    removeProjectFile(dir, `evalsets/${ID}/adversarial.yaml`);
    const prompts = path.join(dir, 'prompts');
    const gone = await cli(prompts, 'eval', ID);
    expect(gone.code, gone.output).toBe(2);
    expect(gone.stderr).toContain(`  ${GOLDEN} suite 'golden' of ${ID} is not in the project, but the registry knows it: restore it (${gitLog(FROM_PROMPTS)}), or ${retire('golden')}`);
    expect(gone.stderr).toContain(`restore it (${gitLog(`../evalsets/${ID}/adversarial.yaml`)})`);
    expect((await cli(dir, 'eval', ID)).stderr).toContain(`  ${GOLDEN} suite 'golden' of ${ID} is not in the project, but the registry knows it: restore it (${gitLog(GOLDEN)}), or ${retire('golden')}`);
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/adversarial`, `${ID}/golden`]));
    const hint = (file: string) => `hint: add a suite that applies (evalsets/${ID}/<suite>.yaml), or take a suite out of retired_suites and restore its file (${gitLog(file)}).`;
    expect((await cli(prompts, 'eval', ID)).stderr).toContain(hint(`../evalsets/${ID}/adversarial.yaml`));
    expect((await cli(dir, 'eval', ID)).stderr).toContain(hint(`evalsets/${ID}/adversarial.yaml`));
  });

  it("deploy's suite-missing gate line (goneSuiteChecks); --json keeps the project path, with fromCwd only below the root", async () => {
    const dir = goldenGone(makeProject());
    const prompts = path.join(dir, 'prompts');
    const dryRun = (cwd: string, ...json: string[]) => cli(cwd, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run', ...json);
    for (const [cwd, file] of [
      [prompts, FROM_PROMPTS],
      [dir, GOLDEN],
    ] as const) {
      const dry = await dryRun(cwd);
      expect(dry.code, dry.output).toBe(1);
      expect(dry.output).toContain(`golden suite 'golden' is missing: ${GOLDEN} is not in the project`);
      expect(dry.output).toContain(`a missing suite never relaxes a gate: restore the file (${gitLog(file)}), or ${retire('golden')}`);
    }
    const check = async (cwd: string) => (JSON.parse((await dryRun(cwd, '--json')).stdout) as { checks: Array<{ kind: string }> }).checks.find((c) => c.kind === 'suite-missing');
    expect(await check(prompts)).toMatchObject({ file: GOLDEN, fromCwd: FROM_PROMPTS });
    expect(await check(dir)).toMatchObject({ file: GOLDEN });
    expect(await check(dir)).not.toHaveProperty('fromCwd');
  });

  it("status's stale line (goneSuiteLine); --json keeps the project path, with fromCwd only below the root", async () => {
    const dir = goldenGone(makeProject());
    const prompts = path.join(dir, 'prompts');
    for (const [cwd, file] of [
      [prompts, FROM_PROMPTS],
      [dir, GOLDEN],
    ] as const) {
      const shown = await cli(cwd, 'status', '--env', 'development');
      expect(shown.code, shown.output).toBe(0);
      expect(shown.stdout).toContain(`stale: ${ID}@1.1.0 in development: golden suite 'golden' is missing (${GOLDEN} is not in the project)`);
      expect(shown.stdout).toContain(`deploy and promote refuse 1.1.0 until you restore the file (${gitLog(file)}), or ${retire('golden')}`);
    }
    const gone = async (cwd: string) => (JSON.parse((await cli(cwd, 'status', '--env', 'development', '--json')).stdout) as { rows: Array<{ goneSuites?: unknown[] }> }).rows[0]!.goneSuites;
    expect(await gone(prompts)).toEqual([{ suite: 'golden', kind: 'golden', file: GOLDEN, fromCwd: FROM_PROMPTS, known: 'run' }]);
    expect(await gone(dir)).toEqual([{ suite: 'golden', kind: 'golden', file: GOLDEN, known: 'run' }]);
  });
});
