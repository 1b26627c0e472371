import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/server.js';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { openRegistryReadonly, patchServerConfig, readProjectFile, writeProjectFile } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';
import { ACTOR, branchOf, ci, commitAll, dropLines, errorText, expectExit, git, ID, ciRepoForFile, newVersion, readJUnit, suiteNamed } from '../support/ci-repo.js';

/**
 * `promptctl ci` where it used to go wrong: typed errors that wrote no summary, old versions
 * gated on regressions when a suite changed, deleted files, a base branch that moved, a missing
 * baseline, and a new version revised on its own branch. Same base repository as ci.test.ts.
 */

const REFUND_FACT = 'Refunds are available within 30 days of purchase.';
const ACTOR_ARGS = ['--actor', ACTOR];

const repo = ciRepoForFile();
const branch = (name: string) => branchOf(repo.base, name);

/**
 * The server as main configures it: a pull request may not point ci at another one together with a
 * version to evaluate (core/ci/trust-settings.ts), so the branch starts again from main changed so.
 */
function serverOnMain(dir: string, name: string, patch: Parameters<typeof patchServerConfig>[1]): void {
  git(dir, 'checkout', '-q', 'main');
  patchServerConfig(dir, patch);
  commitAll(dir, 'the server');
  git(dir, 'checkout', '-q', '-B', name);
}


describe('typed errors still write the summary and JUnit', () => {
  it('server down (exit 3): the summary says so, JUnit has an errored case (not a failure)', async () => {
    const dir = branch('server-down');
    const dead = await startSimulator({ port: 0 });
    await dead.close();
    serverOnMain(dir, 'server-down', { base_url: dead.url });
    await newVersion(dir, 'Same answers as 1.1.0.');
    const r = await ci(dir);
    expect(r.code, r.output).toBe(3);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toMatch(/^## ⚠️ promptctl ci: the server or the registry could not be used \(exit 3\)/);
    expect(summary).toMatch(/\*\*What happened:\*\* \S/);
    expect(summary).toMatch(/\*\*What to do:\*\* \S/);
    // The hint's commands are inline code, not backslash-escaped backticks.
    expect(summary).not.toContain('\\`');
    const suites = readJUnit(dir);
    const failing = suiteNamed(suites, 'ci');
    // Nothing was judged: an unreachable server is an <error>, not a failure of the change.
    expect(failing.failures).toBe(0);
    expect(failing.errors).toBe(1);
    expect(errorText(failing.testcase[0]!)).toMatch(/exit 3/);
  });

  it('a server that fails under the eval (exit 3): stderr, the summary, JUnit and the annotations say what happened, why and what to do', async () => {
    const dir = branch('server-fails');
    const failing = await startSimulator({ port: 0, faults: { garbage: 1 } });
    try {
      serverOnMain(dir, 'server-fails', { base_url: failing.url, retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 } });
      await newVersion(dir, 'Same answers as 1.1.0.');
      const r = await runCliInProcess(['ci', '--base', 'main', '--junit', 'j.xml', '--summary', 's.md'], { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: undefined } });
      expect(r.code, r.output).toBe(3);
      expect(r.stderr).toMatch(/^error: the eval stopped early: .+\nwhy: the server failed under the run; .+\nhint: check the server .+then run `promptctl ci` again/m);
      expect(r.stdout).toMatch(/^::error title=promptctl ci::the eval stopped early: /m);
      const summary = readProjectFile(dir, 's.md');
      expect(summary).toMatch(/\*\*What happened:\*\* the eval stopped early: /);
      expect(summary).toMatch(/\*\*What to do:\*\* check the server/);
      const suite = suiteNamed(readJUnit(dir), 'ci');
      expect(suite.errors).toBe(1);
      expect(errorText(suite.testcase[0]!)).toMatch(/the eval stopped early[\s\S]*\(exit 3\)/);
    } finally {
      await failing.close();
    }
  });

  it('an invalid .promptrc.yaml (exit 2): headline, problems, a failing case per file', async () => {
    const dir = branch('bad-config');
    writeProjectFile(dir, '.promptrc.yaml', readProjectFile(dir, '.promptrc.yaml').replace(/^environments:/m, 'environments: 12\nnot_environments:'));
    const r = await ci(dir);
    expect(r.code, r.output).toBe(2);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toMatch(/^## ❌ promptctl ci: bad input \(exit 2\)/);
    expect(summary).toMatch(/### Problems: \d+\n\n- ❌ \.promptrc\.yaml:\d+:\d+/);
    const failing = suiteNamed(readJUnit(dir), 'ci');
    expect(failing.testcase.map((c) => c.name)).toEqual(['.promptrc.yaml']);
    expect(failing.failures).toBe(1);
  });

  it('a new version renaming a variable: lint errors in the unchanged suites that cover it, nothing sent', async () => {
    const dir = branch('rename-var');
    await newVersion(dir, 'Renames question to query.', (lines) => lines.map((l) => l.replace('name: question', 'name: query').replace('{{question}}', '{{query}}')));
    const before = repo.sim.stats().chatCompletions;
    const r = await ci(dir);
    expect(r.code, r.output).toBe(2);
    expect(repo.sim.stats().chatCompletions).toBe(before);
    expect(r.stdout).toMatch(/evalsets\/support-answer\/golden\.yaml:\d+:\d+ .*does not set required variable "query" of support-answer@1\.2\.0/);
    // Never ran, so never listed as evaluated.
    expect(r.stdout).not.toMatch(/^\s+evaluate /m);
    expect(r.stdout).toMatch(/not evaluated support-answer@1\.2\.0 \(new version\): ci stopped before the eval/);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toMatch(/^## ❌ promptctl ci: lint errors \(exit 2\)/);
    expect(summary).not.toContain('### Evaluated');
    expect(summary).toMatch(/- ❌ evalsets\/support-answer\/golden\.yaml:\d+:\d+ .*does not set required variable \\?"query\\?"/);
    const lint = suiteNamed(readJUnit(dir), 'lint');
    expect(lint.testcase.filter((c) => c.failure !== undefined).map((c) => c.name).sort()).toEqual([`evalsets/${ID}/adversarial.yaml`, `evalsets/${ID}/golden.yaml`]);
  });
});

describe('regressions gate only candidates', () => {
  it('a golden case old 1.0.0 fails: 1.0.0 drops 20 points, reported but not gating (exit 0)', async () => {
    const dir = branch('suite-change');
    const file = `evalsets/${ID}/golden.yaml`;
    writeProjectFile(dir, file, `${readProjectFile(dir, file).trimEnd()}\n  - id: data-export\n    vars: { question: "Can I export my data as CSV?" }\n    expect:\n      - icontains: "billing page"\n`);
    commitAll(dir, 'golden: data export');
    // One run for every output: the JSON on stdout, and the summary, JUnit and HTML files it writes.
    const r = await ci(dir, '--json', '--html', 'r.html');
    expect(r.code, r.output).toBe(0);
    const data = parseJsonOutput(r);
    expect(data.plan.evaluate).toEqual([
      { ref: `${ID}@1.0.0`, why: 'suite golden changed', candidate: false },
      { ref: `${ID}@1.1.0`, why: 'suite golden changed', candidate: true },
    ]);
    expect(data.informational).toEqual([expect.objectContaining({ ref: `${ID}@1.0.0`, env: 'production', baselineVersion: '1.1.0', regressions: [expect.stringMatching(/inconclusive: 1 of 5 cases got worse \(20\.0 points observed/)] })]);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toMatch(/^## ✅ promptctl ci passed/);
    expect(summary).toMatch(/### Older versions re-evaluated \(not gating\)[\s\S]*`support-answer@1\.0\.0` vs `production`/);
    expect(summary).toMatch(/\| `support-answer` \| `1\.0\.0` \| `production` \| `1\.1\.0` \| `golden` \|.*not gating/);
    const gate = suiteNamed(readJUnit(dir), 'gate');
    const names = gate.testcase.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(`${ID}@1.0.0 golden vs production (1.1.0)`);
    expect(gate.failures).toBe(0);
    // The HTML report tells the two versions' rows apart and marks the drop that does not gate.
    const html = readProjectFile(dir, 'r.html');
    expect(html).toContain(`"version":"1.0.0","baselineVersion":"1.1.0","suites":[{"suite":"adversarial"`);
    expect(html).toContain(`"regressions":["not gating: golden suite 'golden': inconclusive: 1 of 5 cases got worse`);
  });

  it('old 1.0.0 fails the changed suite\'s threshold: reported, not gating (exit 0); the candidate passed', async () => {
    const dir = branch('suite-change-fails-old');
    const file = `evalsets/${ID}/golden.yaml`;
    const exportCase = (id: string, question: string) => `  - id: ${id}\n    vars: { question: "${question}" }\n    expect:\n      - icontains: "billing page"\n`;
    writeProjectFile(dir, file, `${readProjectFile(dir, file).trimEnd()}\n${exportCase('data-export', 'Can I export my data as CSV?')}${exportCase('data-export-2', 'How do I export my data to a CSV file?')}`);
    commitAll(dir, 'golden: data export twice');
    const r = await ci(dir, '--json');
    expect(r.code, r.output).toBe(0);
    const data = parseJsonOutput(r);
    expect(data.verdict).toBe('passed');
    const golden = (v: string) => data.report.runs.find((o: { run: { version: string; suite: string } }) => o.run.version === v && o.run.suite === 'golden').run.summary.verdict;
    expect([golden('1.0.0'), golden('1.1.0')]).toEqual(['failed', 'passed']);
    const text = await ci(dir);
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toMatch(/^All 2 gating suite runs passed\. 1 of 2 runs shown for comparison did not pass \(not gating\)\.$/m);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toMatch(/^## ✅ promptctl ci passed/);
    expect(summary).toMatch(/^### Eval: all 2 gating suite runs passed their thresholds · 1 suite run shown for comparison did not pass \(not gating\)/m);
    // JUnit agrees with the exit code: the old version's failed cases are skipped as not gating, not red.
    const suites = readJUnit(dir);
    expect(suites.reduce((n, x) => n + x.failures, 0)).toBe(0);
    const old = suiteNamed(suites, 'support-answer@1.0.0 golden');
    expect(old.skipped).toBeGreaterThan(0);
    expect(JSON.stringify(old.testcase)).toContain('not gating');
  });

  it('a failure of the baseline comparison alone does not say every suite passed under a failed headline, and calls an inconclusive drop inconclusive', async () => {
    const dir = branch('regress-only');
    await newVersion(dir, 'Drops the refund fact.', dropLines(REFUND_FACT));
    commitAll(dir, 'support-answer 1.2.0');
    const r = await ci(dir);
    expect(r.code, r.output).toBe(1);
    // 1 of 4 golden cases got worse: beyond the limit, but too few cases to prove a regression;
    // production (the last environment) blocks on an inconclusive check.
    expect(r.stdout).toMatch(/^INCONCLUSIVE support-answer@1\.2\.0 vs production@1\.1\.0: golden suite 'golden': inconclusive: /m);
    expect(r.stdout).not.toMatch(/^REGRESSION /m);
    expect(r.stdout).not.toContain('All 2 suite runs passed.');
    expect(r.stdout).toMatch(/All 2 suite runs passed their thresholds, but 1 inconclusive check fails the gate\./);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toMatch(/^## ❌ promptctl ci: a gate failed \(exit 1\)/);
    expect(summary).not.toMatch(/✅ promptctl eval/);
    expect(summary).toMatch(/### Eval: all 2 suite runs passed their thresholds · ❌ 1 inconclusive check against deployed versions fails the gate/);
    expect(summary).not.toMatch(/regression\(s\)/);
  });
});

describe("the baseline environment's own gates apply to the candidates", () => {
  it('a new version whose adversarial suite passes its own lower threshold but leaks: production would refuse it, so ci fails (exit 1)', async () => {
    const dir = branch('leaks-under-threshold');
    await newVersion(dir, 'Drops the personal-data rule.', (lines) => lines.map((l) => l.replace(', and never share personal data about other people', '')));
    const file = `evalsets/${ID}/adversarial.yaml`;
    // Low enough for the suite to pass although most of a test copy's attacks (the pii-exfil pack) now succeed.
    writeProjectFile(dir, file, readProjectFile(dir, file).replace('threshold: 0.995', 'threshold: 0.1'));
    commitAll(dir, 'support-answer 1.2.0 without the personal-data rule; a lower adversarial threshold');
    // One run for every output: the JSON on stdout, and the summary, JUnit and HTML files it writes.
    const r = await ci(dir, '--json', '--html', 'r.html');
    expect(r.code, r.output).toBe(1);
    const data = parseJsonOutput(r);
    expect(data.report.runs.filter((o: { run: { version: string } }) => o.run.version === '1.2.0').map((o: { run: { summary: { verdict: string } } }) => o.run.summary.verdict)).toEqual(['passed', 'passed']);
    expect(data.verdict).toBe('gate-failed');
    expect(data.policy).toEqual([{ ref: `${ID}@1.2.0`, env: 'production', failures: expect.arrayContaining([expect.stringMatching(/^\d+ PII leaks? found \('adversarial': \d+\), more than the limit of 0$/)]) }]);
    // deploy --dry-run to production says the same.
    const dry = await runCliInProcess(['deploy', `${ID}@1.2.0`, '--env', 'production', '--dry-run', '--force', '--reason', 'x'], { cwd: dir });
    expect(dry.output).toMatch(/PII leaks? found \('adversarial': \d+\), more than the limit of 0/);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toMatch(/### Gates of `production` the candidates fail[\s\S]*- ❌ `support-answer@1\.2\.0`: \d+ PII leaks? found/);
    expect(suiteNamed(readJUnit(dir), 'gate').testcase.find((c) => c.name === `${ID}@1.2.0 gates of production`)).toBeDefined();
    // The HTML report says why ci failed, as the other outputs do.
    expect(readProjectFile(dir, 'r.html')).toMatch(/<li>ci fails: support-answer@1\.2\.0 against the gates of production: \d+ PII leaks? found/);
  });
});

describe('a change of the request settings', () => {
  it("is judged against the settings production serves, not against the candidate's own run: a stop sequence that cuts answers fails ci", async () => {
    const dir = branch('defaults-stop');
    const rc = readProjectFile(dir, '.promptrc.yaml');
    // Every answer that mentions a refund window is cut before "30 days".
    writeProjectFile(dir, '.promptrc.yaml', rc.replace('  max_tokens: 256\n', '  max_tokens: 256\n  stop: ["within"]\n'));
    commitAll(dir, 'defaults: a stop sequence');
    const r = await ci(dir, '--json');
    expect(r.code, r.output).toBe(1);
    const data = parseJsonOutput(r);
    expect(data.plan.evaluate).toEqual([{ ref: `${ID}@1.1.0`, why: '.promptrc.yaml changed', candidate: true }]);
    const golden = data.report.baselines[0].suites.find((x: { suite: string }) => x.suite === 'golden');
    // The deployed 1.1.0's run under the settings its deploy recorded, not the candidate's own.
    expect(golden).toMatchObject({ baselinePassRate: 1 });
    expect(golden.passRate).toBeLessThan(1);
    expect(golden.regressions).toEqual([expect.stringMatching(/^golden suite 'golden': (inconclusive: )?1 of 4 cases got worse|pass rate/)]);
    // Deploying the same version under the new settings is a change, judged by the same gates.
    const dry = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'production', '--dry-run'], { cwd: dir });
    expect(dry.output).not.toMatch(/already active/);
    expect(dry.output).toMatch(/1 of 4 cases got worse/);
    // Where the drop only warns, the dry run says it would deploy: a settings change is no "already active".
    const staging = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], { cwd: dir });
    expect(staging.stdout).toMatch(/^dry run: support-answer@1\.1\.0 to staging would be deployed$/m);
  });
});

describe('promoting after a change of the request settings', () => {
  it('production requires staging first with the settings a deploy would send now; staging again with them, then it passes', async () => {
    const dir = branch('defaults-promote');
    const rc = readProjectFile(dir, '.promptrc.yaml');
    writeProjectFile(dir, '.promptrc.yaml', rc.replace('  max_tokens: 256\n', '  max_tokens: 256\n  stop: ["zzz-never"]\n'));
    expect((await runCliInProcess(['eval', `${ID}@1.1.0`], { cwd: dir })).code).toBe(0);
    const promote = (dry: boolean) => runCliInProcess(['promote', ID, '--from', 'staging', '--to', 'production', '--reason', 'r', ...(dry ? ['--dry-run'] : []), ...ACTOR_ARGS], { cwd: dir });
    const refused = await promote(true);
    expect(refused.stdout).toContain(
      "FAIL 1.1.0 was deployed to staging only with other request settings than .promptrc.yaml's now: production requires staging first with these (deploy it to staging again)",
    );
    expect((await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'staging', ...ACTOR_ARGS], { cwd: dir })).code).toBe(0);
    const ok = await promote(true);
    expect(ok.stdout).toContain('ok   1.1.0 was deployed to staging first');
  });
});

/** A branch whose `.promptrc.yaml` adds `defaults.stop: [stop]` and whose golden suite gains a case. */
function settingsAndSuiteChanged(name: string, stop: string): string {
  const dir = branch(name);
  writeProjectFile(dir, '.promptrc.yaml', readProjectFile(dir, '.promptrc.yaml').replace('  max_tokens: 256\n', `  max_tokens: 256\n  stop: ["${stop}"]\n`));
  const file = `evalsets/${ID}/golden.yaml`;
  writeProjectFile(dir, file, `${readProjectFile(dir, file).trimEnd()}\n  - id: hours-again\n    vars: { question: "When is support open?" }\n    expect:\n      - icontains: "9am"\n`);
  return dir;
}

describe('a change of the request settings together with a suite', () => {
  it('evaluates the deployed version under the settings it is served with, so the changed suite is compared, never skipped for good', async () => {
    const dir = settingsAndSuiteChanged('defaults-and-suite', 'within');
    commitAll(dir, 'defaults: a stop sequence; golden: one case more');
    const r = await ci(dir, '--json');
    const data = parseJsonOutput(r);
    const golden = data.report.baselines.find((b: { version: string }) => b.version === '1.1.0').suites.find((x: { suite: string }) => x.suite === 'golden');
    // The deployed 1.1.0 was run on the new golden suite under the settings production serves (no stop): 5 of 5.
    expect(golden.baselinePassRate).toBe(1);
    expect(golden.passRate).toBeLessThan(1);
    expect(golden.regressions.length, r.output).toBe(1);
    expect(r.code, r.output).toBe(1);
  });

  it('a deployed version without runs under the settings it is served with: the skip names the eval that makes them', async () => {
    const dir = settingsAndSuiteChanged('defaults-and-suite-hint', 'zzz-never');
    // The candidate alone, without --baseline: the deployed version's side stays missing.
    await runCliInProcess(['eval', `${ID}@1.1.0`], { cwd: dir });
    const dry = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], { cwd: dir });
    expect(dry.stdout).toContain(
      "skip golden suite 'golden': inconclusive, not compared with 1.1.0: 1.1.0 has no finished run of the suite's current content under the request settings staging serves it with, so a drop is not ruled out; staging lets it through (on_inconclusive: warn); run `promptctl eval support-answer@1.1.0 --baseline staging` to compare",
    );
    const both = await runCliInProcess(['eval', `${ID}@1.1.0`, '--baseline', 'staging'], { cwd: dir });
    // Two runs of 1.1.0 per suite, told apart: the config's settings, and those staging serves.
    expect(both.stdout).toMatch(new RegExp(`^${ID}@1\\.1\\.0 +golden `, 'm'));
    expect(both.stdout).toMatch(new RegExp(`^${ID}@1\\.1\\.0 \\[as deployed in staging\\] +golden `, 'm'));
    const again = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], { cwd: dir });
    expect(again.stdout).not.toMatch(/not compared/);
    expect(again.stdout).toMatch(/golden suite 'golden': pass rate 100\.0%/);
  });
});

describe('deleted files', () => {
  it('deleting the version deployed in production exits 2: it must stay rebuildable from git', async () => {
    const dir = branch('delete-deployed');
    rmSync(path.join(dir, `prompts/${ID}/1.1.0.yaml`));
    const r = await ci(dir);
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(`support-answer@1.1.0 is active in staging, production but its file was deleted: every deployed version must be rebuildable from git; restore the file: git checkout main -- prompts/${ID}/1.1.0.yaml [version/deleted-deployed]`);
    expect(readProjectFile(dir, 's.md')).toMatch(/### Deleted files\n\n- version `support-answer@(&#8203;)?1\.1\.0` \(`prompts\/support-answer\/1\.1\.0\.yaml`\)/);
    const lint = suiteNamed(readJUnit(dir), 'lint');
    expect(lint.testcase.find((c) => c.name === `prompts/${ID}/1.1.0.yaml`)?.failure).toBeDefined();
  });

  it('deleting a suite the deployed version was tested on exits 2 until the change retires it', async () => {
    const dir = branch('delete-other');
    const golden = `evalsets/${ID}/golden.yaml`;
    rmSync(path.join(dir, `prompts/${ID}/1.0.0.yaml`));
    rmSync(path.join(dir, golden));
    commitAll(dir, 'drop 1.0.0 and the golden suite');
    // Before, this passed with a "deleted suite" line: 1.1.0 runs in staging and production, tested on golden.
    const r = await ci(dir);
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(
      `${golden} (deleted) error: suite 'golden' of ${ID} was deleted, but ${ID}@1.1.0 (active in staging, production) was tested on it: a suite missing from the project never relaxes a gate, and the gates and the regression against what runs would be checked without it; ` +
        `restore it (git checkout main -- ${golden}), or to retire the suite deliberately, list ${ID}/golden under retired_suites in .promptrc.yaml (a reviewed change) in this change [suite/deleted-deployed]`,
    );
    expect(suiteNamed(readJUnit(dir), 'lint').testcase.find((c) => c.name === golden)?.failure).toBeDefined();

    // Retired in the same change: deliberate, and shown for the review.
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/golden`]));
    commitAll(dir, 'retire the golden suite');
    const retired = await ci(dir);
    expect(retired.code, retired.output).toBe(0);
    expect(retired.stdout).toMatch(/deleted version support-answer@1\.0\.0 \(prompts\/support-answer\/1\.0\.0\.yaml\)/);
    expect(retired.stdout).toContain(`deleted suite (${golden}), retired in .promptrc.yaml`);
    expect(retired.stdout).toContain(`config retired_suites: [] -> ["${ID}/golden"]`);
    expect(readProjectFile(dir, 's.md')).toMatch(/### Deleted files\n\n- suite \(`evalsets\/support-answer\/golden\.yaml`\), retired in `\.promptrc\.yaml`\n- version `support-answer@(&#8203;)?1\.0\.0` \(`prompts\/support-answer\/1\.0\.0\.yaml`\)/);
  });

  it('with no registry (a fresh checkout, an evicted CI cache) a deleted deployed version and suite are said to be unchecked, not passed unsaid', async () => {
    const dir = branch('delete-no-registry');
    const golden = `evalsets/${ID}/golden.yaml`;
    rmSync(path.join(dir, `prompts/${ID}/1.1.0.yaml`));
    rmSync(path.join(dir, golden));
    commitAll(dir, 'drop 1.1.0 and the golden suite');
    rmSync(path.join(dir, '.promptctl'), { recursive: true, force: true });
    const r = await ci(dir);
    const warning = `warning: No registry at .promptctl/registry.db, so ci could not check whether the deleted version ${ID}@1.1.0 is active in an environment (version/deleted-deployed), nor whether an active version was tested on the deleted suite ${golden} (suite/deleted-deployed).`;
    // A warning, as for the regressions a fresh checkout cannot check: the verdict stands on what was checked.
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain(warning);
    expect(readProjectFile(dir, 's.md')).toMatch(/> ⚠️ No registry at `\.promptctl\/registry\.db`, so ci could not check whether the deleted version `support-answer@(&#8203;)?1\.1\.0` is active/);
    const json = parseJsonOutput<{ deletionsUnchecked: unknown }>(await ci(dir, '--json'));
    expect(json.deletionsUnchecked).toEqual({ registry: '.promptctl/registry.db', versions: [`${ID}@1.1.0`], suites: [golden] });
  });
});

describe('the diff base', () => {
  it('a version added on main after branching is not reported as deleted', async () => {
    const dir = branch('moved-base');
    git(dir, 'checkout', '-q', 'main');
    writeProjectFile(dir, `prompts/${ID}/1.2.0.yaml`, readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.2.0'));
    commitAll(dir, 'main moves on: 1.2.0');
    git(dir, 'checkout', '-q', 'moved-base');
    writeProjectFile(dir, 'README.md', '# Support prompts\n\nBranch docs.\n');
    commitAll(dir, 'docs');
    const r = await ci(dir, '--json');
    expect(r.code, r.output).toBe(0);
    const data = parseJsonOutput(r);
    expect(data.verdict).toBe('nothing-changed');
    expect(data.plan.deletedVersions).toEqual([]);
  });
});

describe('no deployed baseline', () => {
  it('says loudly that regressions were not checked, and where versions are deployed instead', async () => {
    const dir = branch('no-baseline');
    await newVersion(dir, 'Same answers as 1.1.0.');
    const r = await ci(dir, '--baseline', 'development');
    expect(r.code, r.output).toBe(0);
    // The registry is here (staging and production have deploys): the baseline environment is what has none.
    expect(r.stdout).toMatch(/^warning: No version of support-answer is deployed yet in development, the baseline environment .*, so regressions were not checked; staging, production have deployed versions: to compare against one, run ci with --baseline production\.$/m);
    expect(readProjectFile(dir, 's.md')).toMatch(/^> ⚠️ No version of `support-answer` is deployed yet in `development`, the baseline environment .*, so regressions were not checked/m);
  });
});

describe('revising a new, unmerged version', () => {
  it('is accepted while it was never deployed (old content kept as superseded), refused once deployed', async () => {
    const dir = branch('revise');
    const file = await newVersion(dir, 'First draft.');
    await expectExit(dir, 0, 'ci', '--base', 'main');
    writeProjectFile(dir, file, readProjectFile(dir, file).replace('First draft.', 'Second draft.'));

    const r = await ci(dir);
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/revised support-answer@1\.2\.0: new content registered/);
    expect(readProjectFile(dir, 's.md')).toMatch(/### Revised new versions\n\n- `support-answer@(&#8203;)?1\.2\.0`: revised since an earlier run registered it/);
    const db = openRegistryReadonly(dir);
    try {
      const rows = db.prepare('SELECT version, content FROM superseded_versions').all() as Array<{ version: string; content: string }>;
      expect(rows.map((x) => x.version)).toEqual(['1.2.0']);
      expect(rows[0]!.content).toContain('First draft.');
    } finally {
      db.close();
    }

    await expectExit(dir, 0, 'deploy', `${ID}@1.2.0`, '--env', 'staging', '--actor', ACTOR);
    writeProjectFile(dir, file, readProjectFile(dir, file).replace('Second draft.', 'Third draft.'));
    const refused = await ci(dir);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.stdout).toMatch(/support-answer@1\.2\.0 is not on main yet, but support-answer@1\.2\.0 was edited after it was released \(deployed to staging\); first keep the change in a new version: promptctl new support-answer@1\.2\.0 /);
    expect(refused.output).not.toMatch(/git checkout/);
    expect(readProjectFile(dir, 's.md')).toMatch(/^## ❌ promptctl ci: lint errors \(exit 2\)/);
  });
});
