import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { addFinishedRun, editVersionFile, eventCount, markReleased, markTested, markTestedWithoutRuns, patchConfig, readEvents } from '../support/registry-cli.js';

/**
 * The gates' facts end to end: which runs count (current suite content only), what a missing
 * adversarial run means, what a dry run and a refusal say, and the exit-code rule for deploy,
 * promote and rollback (a name that does not exist = 2; a refusal based on state = 1).
 */

const ID = 'support-answer';
const ACTOR = 'release@example.com';
const WHY = ['--reason', 'e2e release', '--actor', ACTOR];

afterAll(() => cleanupTempDirs());

async function cli(dir: string, ...args: string[]): Promise<RunResult> {
  return await runCliInProcess(args, { cwd: dir });
}

async function expectExit(code: number, dir: string, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, ...args);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  return r;
}

/** Adds a golden case: the suite's content hash changes, so runs of the old content stop counting. */
function addGoldenCase(dir: string): void {
  const file = path.join(dir, 'evalsets', ID, 'golden.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n  - id: added-later\n    vars: { question: "Do you ship abroad?" }\n    expect:\n      - icontains: "every country"\n`);
}

describe('gate facts use only runs of the suites as they are now', () => {
  it('does not compare a run of the new suite with the deployed version run of the old one; says so and how to fix it', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`); // passing runs (100%) of today's suites
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'development');
    addGoldenCase(dir);
    addFinishedRun(dir, `${ID}@1.1.0`, { suite: 'golden', passRate: 0.8 }); // on the new content

    const dry = await expectExit(0, dir, 'deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run');
    expect(dry.stdout).not.toMatch(/dropped/);
    expect(dry.stdout).toContain(
      "skip golden suite 'golden': inconclusive, not compared with 1.0.0: 1.0.0 has no finished run of the suite's current content and settings on sim-model, so a drop is not ruled out; development lets it through (on_inconclusive: warn); run `promptctl eval support-answer@1.0.0` to compare",
    );

    // Once the deployed version has a run of the same content, the two are compared, case by case:
    // 1 of 5 cases got worse, which 5 cases cannot tell from chance; development only warns.
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', passRate: 1 });
    const compared = await expectExit(0, dir, 'deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run');
    expect(compared.stdout).toMatch(/warn golden suite 'golden': inconclusive: 1 of 5 cases got worse \(20\.0 points observed, limit 5\.0\).*\(not blocking here: on_inconclusive is warn\)/);
    // With the point rule, as before 0.2, the observed drop alone decides.
    patchConfig(dir, (c) => {
      c.environments[0].gates = { ...c.environments[0].gates, regression_method: 'point' };
    });
    const point = await expectExit(1, dir, 'deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run');
    expect(point.stdout).toMatch(/FAIL golden suite 'golden': pass rate 80\.0% dropped 20\.0 points from 100\.0% on 1\.0\.0 \(limit 5\.0\)/);
  });

  it('an adversarial run of an older suite file does not satisfy production', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    const file = path.join(dir, 'evalsets', ID, 'adversarial.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: .*$/m, 'description: Attacks, reworded.'));
    const r = await expectExit(1, dir, 'deploy', `${ID}@1.0.0`, '--env', 'production', ...WHY);
    expect(r.stderr).toMatch(/adversarial suite 'adversarial': no finished run of 1\.0\.0 on sim-model with the current prompt and suite content/);
  });
});

describe('a missing adversarial run', () => {
  it('refuses production (where the policy sets a minimum), with the reason and the command to run; leak lines say nothing was measured', async () => {
    const dir = makeProject();
    markTestedWithoutRuns(dir, `${ID}@1.0.0`);
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', passRate: 1 });
    // Staging sets no adversarial minimum, but the mark needs every applicable suite's run: override.
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--force', ...WHY);

    const r = await expectExit(1, dir, 'deploy', `${ID}@1.0.0`, '--env', 'production', ...WHY);
    expect(r.stderr).toMatch(/- adversarial suite 'adversarial': no finished run of 1\.0\.0 on sim-model .*production requires injection resistance of 99\.5% or more/);
    expect(r.stderr).toMatch(/run `promptctl eval support-answer@1\.0\.0` first/);
    expect(eventCount(dir)).toBe(1);

    const dry = await expectExit(1, dir, 'deploy', `${ID}@1.0.0`, '--env', 'production', '--dry-run', ...WHY);
    expect(dry.stdout).toMatch(/skip PII leaks: no adversarial run, so not measured \(limit 0\)/);
    expect(dry.stdout).toMatch(/skip system-prompt leaks: no adversarial run, so not measured/);
    expect(dry.stdout).not.toMatch(/0 PII leaks/);

    // With a passing adversarial run of the current content, production accepts it.
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'adversarial', passRate: 1 });
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'production', ...WHY);
  });
});

describe('what deploy says', () => {
  it('an edited version: the edited-file reason and the `promptctl new` hint only, never "run eval"', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'development');
    editVersionFile(dir, `${ID}@1.0.0`);
    const r = await expectExit(2, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    expect(r.stderr).toMatch(/support-answer@1\.0\.0 was edited after it was released \(deployed to development\)/);
    expect(r.stderr).toMatch(/hint: .*promptctl new support-answer/);
    expect(r.stderr).not.toMatch(/has not been tested|promptctl eval/);
  });

  it('--dry-run of an unregistered version says the deploy would register it', async () => {
    const dir = makeProject();
    const dry = await expectExit(0, dir, 'deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run');
    expect(dry.stdout).toMatch(/ok {3}support-answer@1\.1\.0 is not registered yet: the deploy would register it/);
    expect(dry.stdout).not.toMatch(/1\.1\.0 is registered/);
  });

  it('--dry-run of the active version says nothing would change; the real deploy records no event', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    const dry = await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--dry-run');
    expect(dry.stdout).toMatch(/^dry run: support-answer@1\.0\.0 is already active in staging: a deploy would change nothing \(no event\)/);
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    expect(eventCount(dir)).toBe(1);
  });
});

describe('promote and rollback: exit codes', () => {
  it('promote: same environment = 2, unknown prompt = 2, nothing active = 1, already active says so', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    expect((await expectExit(2, dir, 'promote', ID, '--from', 'staging', '--to', 'staging')).stderr).toMatch(/--from and --to are both staging/);
    expect((await expectExit(2, dir, 'promote', 'no-such-prompt', '--from', 'staging', '--to', 'production')).stderr).toMatch(/prompt "no-such-prompt" does not exist/);
    await expectExit(2, dir, 'promote', ID, '--from', 'nowhere', '--to', 'production');
    expect((await expectExit(1, dir, 'promote', ID, '--from', 'staging', '--to', 'production')).stderr).toMatch(/nothing to promote/);

    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    await expectExit(0, dir, 'promote', ID, '--from', 'staging', '--to', 'production', ...WHY);
    const dry = await expectExit(0, dir, 'promote', ID, '--from', 'staging', '--to', 'production', '--dry-run', ...WHY);
    expect(dry.stdout).toMatch(/support-answer@1\.0\.0 is already active in production: a deploy would change nothing/);
    expect(eventCount(dir)).toBe(2);
  });

  it('promote against the order of environments goes ahead, with a warning (a resync is legitimate; a swapped --from/--to is not)', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    const forward = await expectExit(0, dir, 'promote', ID, '--from', 'staging', '--to', 'production', ...WHY);
    expect(forward.output).not.toMatch(/backwards/);
    await expectExit(0, dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging');

    const dry = await expectExit(0, dir, 'promote', ID, '--from', 'production', '--to', 'staging', '--dry-run');
    expect(dry.stdout).toMatch(/^warning: promoting backwards: staging comes before production in the order of environments \(development -> staging -> production\)/m);
    expect(eventCount(dir)).toBe(3);
    const real = await expectExit(0, dir, 'promote', ID, '--from', 'production', '--to', 'staging', '--json');
    expect(JSON.parse(real.stdout)).toMatchObject({ from: 'production', env: 'staging', version: '1.0.0', previousVersion: '1.1.0', warning: expect.stringMatching(/promoting backwards/) });
    expect(eventCount(dir)).toBe(4);
  });

  it('rollback: unknown prompt or --to version = 2; after 1.1.0, 1.0.0, 1.1.0 one rollback lands on 1.0.0 and a second is refused (1)', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    expect((await expectExit(2, dir, 'rollback', 'no-such-prompt', '--env', 'staging')).stderr).toMatch(/prompt "no-such-prompt" does not exist/);
    for (const v of ['1.1.0', '1.0.0', '1.1.0']) await expectExit(0, dir, 'deploy', `${ID}@${v}`, '--env', 'staging');
    expect((await expectExit(2, dir, 'rollback', ID, '--env', 'staging', '--to', '2.0.0')).stderr).toMatch(/support-answer@2\.0\.0 does not exist/);

    expect((await expectExit(0, dir, 'rollback', ID, '--env', 'staging')).stdout).toMatch(/1\.1\.0 -> 1\.0\.0/);
    const again = await expectExit(1, dir, 'rollback', ID, '--env', 'staging');
    expect(again.stderr).toMatch(/nothing to roll back to: 1\.0\.0 is active and every earlier version was rolled away from since the last deploy \(1\.1\.0\)/);
    expect(readEvents(dir).map((e) => `${e.action}:${e.version}`)).toEqual(['deploy:1.1.0', 'deploy:1.0.0', 'deploy:1.1.0', 'rollback:1.0.0']);
  });
});

describe('a tested mark holds only while every suite that applies passes on its current content', () => {
  it('a suite added later and never run takes the mark away until it runs', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    writeFileSync(
      path.join(dir, 'evalsets', ID, 'extra.yaml'),
      `prompt: ${ID}\nversions: ">=1.0.0"\nkind: golden\nthreshold: 1\ncases:\n  - id: extra-1\n    vars: { question: "Hours?" }\n    expect:\n      - contains: "9"\n`,
    );
    const dry = await expectExit(1, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--dry-run');
    expect(dry.stdout).toMatch(/FAIL 1\.0\.0 was tested on sim-model, but not on the current suites: 'extra' has no run of its current content and settings; run `promptctl eval support-answer@1\.0\.0`/);
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'extra', passRate: 1 });
    await expectExit(0, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--dry-run');
  });

  it('a failed run of a suite that applies refuses the deploy of the draft with the hint to fix its file', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', passRate: 0.2 });
    const r = await expectExit(1, dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHY);
    expect(r.stderr).toMatch(/1\.0\.0 was tested on sim-model, but not on the current suites: 'golden' failed; fix the prompt in prompts\/support-answer\/1\.0\.0\.yaml \(a draft until its first deploy\) and evaluate it again/);
    expect(r.stderr).toMatch(/^hint: fix the prompt in prompts\/support-answer\/1\.0\.0\.yaml \(a draft until its first deploy, so its file may still change\), evaluate it again, and deploy it$/m);
    expect(eventCount(dir)).toBe(0);
  });
});

describe('a prompt whose own files are broken is not judged', () => {
  // Each row breaks one file of support-answer; eval and deploy must refuse (exit 2) naming it,
  // before anything is sent or recorded, instead of leaving the file out and passing without it.
  const rows: Array<[string, (dir: string) => void, RegExp]> = [
    [
      'a typo in a suite key',
      (dir) => writeFileSync(path.join(dir, 'evalsets', ID, 'extra.yaml'), `prompt: ${ID}\nversions: ">=1.0.0"\nkind: golden\ncases:\n  - id: x\n    vars: { question: "Hours?" }\n    expect:\n      - contain: "9"\n`),
      /evalsets\/support-answer\/extra\.yaml:\d+:\d+ cases\.0\.expect\.0/,
    ],
    [
      'an adversarial suite without inject_into',
      (dir) => {
        const file = path.join(dir, 'evalsets', ID, 'adversarial.yaml');
        writeFileSync(file, readFileSync(file, 'utf8').replace(/^inject_into: .*\n/m, ''));
      },
      /evalsets\/support-answer\/adversarial\.yaml:\d+:\d+ attacks: attacks need inject_into/,
    ],
  ];
  it.each(rows)('%s: eval and deploy exit 2 naming the file and field; nothing recorded', async (_name, breakIt, where) => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.1.0`);
    const before = eventCount(dir);
    breakIt(dir);
    for (const args of [['eval', `${ID}@1.1.0`], ['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHY]]) {
      const r = await expectExit(2, dir, ...args);
      expect(r.stderr, args.join(' ')).toMatch(where);
      expect(r.stderr).toMatch(/^error: \d+ problems? in the files of support-answer/m);
    }
    expect(eventCount(dir)).toBe(before);
  });

  it('an invalid newer version stops a bare eval instead of quietly testing the one before', async () => {
    const dir = makeProject();
    const src = readFileSync(path.join(dir, 'prompts', ID, '1.1.0.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'prompts', ID, '1.2.0.yaml'), src.replace('version: 1.1.0', 'version: 1.2.0').replace(/max_tokens: \d+/, 'max_tokens: "lots"'));
    const r = await expectExit(2, dir, 'eval');
    expect(r.stderr).toMatch(/prompts\/support-answer\/1\.2\.0\.yaml:\d+:\d+ model\.max_tokens/);
  });
});

describe('compare and report on an edited released version', () => {
  it('refuse it as edited (exit 2), not with a hint to eval a version eval would refuse', async () => {
    const dir = makeProject();
    markReleased(dir, `${ID}@1.0.0`);
    editVersionFile(dir, `${ID}@1.0.0`);
    for (const args of [['compare', `${ID}@1.0.0`, `${ID}@1.1.0`, '--no-eval'], ['report', `${ID}@1.0.0`, `${ID}@1.1.0`]]) {
      const r = await expectExit(2, dir, ...args);
      expect(r.stderr, args.join(' ')).toMatch(/support-answer@1\.0\.0 was edited after it was released/);
      expect(r.stderr).not.toMatch(/record them first/);
    }
  });
});
