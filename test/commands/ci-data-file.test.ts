import { beforeAll, describe, expect, it } from 'vitest';
import { cli, commitAll, git, initRepo, repoCopy } from '../support/ci-repo.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, removeProjectFile, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Issue 14 §2: a suite's `cases_from` file is part of the suite, so `ci` treats a change to it as a
 * change to the suite: the versions it covers are evaluated again, on the suite's new content.
 */

const sim = simulatorForFile();

const ROWS = 20;

/** A repository on main whose only suite reads its cases from data/golden.jsonl, then a branch with a commit that changes nothing ci checks. */
function makeRepoWithDataSuite(): string {
  const dir = makeSimProject(sim.url, {}, 'promptctl-ci-data-');
  relaxLatencyGate(dir);
  removeProjectFile(dir, 'evalsets/support-answer/golden.yaml');
  removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
  // No adversarial suite here, so production asks for no adversarial minimum (ci applies it to candidates, as deploy does).
  writeProjectFile(dir, '.promptrc.yaml', readProjectFile(dir, '.promptrc.yaml').replace('min_adversarial_pass_rate: 0.995', 'min_adversarial_pass_rate: null'));
  const rows = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ id: `row-${i}`, question: `How long do I have to ask for a refund? (${i})`, expect: [{ icontains: '30 days' }] }));
  writeProjectFile(dir, 'data/golden.jsonl', `${rows.join('\n')}\n`);
  writeProjectFile(dir, 'evalsets/support-answer/from-data.yaml', 'prompt: support-answer\nversions: ">=1.1.0"\nkind: golden\nthreshold: 0.9\ncases_from:\n  file: data/golden.jsonl\n');
  initRepo(dir, 'a suite read from a data file');
  git(dir, 'checkout', '-q', '-b', 'feature');
  // A commit of the branch's own: on a branch still at main's commit ci has no change to gate (exit 2).
  writeProjectFile(dir, 'NOTES.md', 'notes\n');
  commitAll(dir, 'notes');
  return dir;
}

// Made once for the file, copied for each test: the same repository without its git processes.
let template: string;
beforeAll(() => {
  template = makeRepoWithDataSuite();
});
const repoWithDataSuite = () => repoCopy(template, 'promptctl-ci-data-');

const runHashes = (dir: string) => withRegistry(dir, (db) => (db.prepare("SELECT suite_hash AS hash FROM runs WHERE suite = 'from-data' ORDER BY started_at").all() as Array<{ hash: string }>).map((r) => r.hash));

interface CiJson {
  plan: { evaluate: Array<{ ref: string; why: string; candidate: boolean }>; lintFiles: string[]; nothingChanged: boolean };
  report?: { runs: Array<{ run: { suite: string; suiteHash: string; summary?: { cases: number } } }> };
}

describe('ci and a changed cases_from file', () => {
  it('a changed data row re-evaluates the versions its suite covers, on the new rows', async () => {
    const dir = repoWithDataSuite();
    const untouched = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(untouched.code, untouched.output).toBe(0);
    expect((JSON.parse(untouched.stdout) as CiJson).plan).toMatchObject({ evaluate: [], nothingChanged: true });

    const data = readProjectFile(dir, 'data/golden.jsonl');
    writeProjectFile(dir, 'data/golden.jsonl', data.replace('(7)', '(7, asked again)'));
    commitAll(dir, 'reword one golden row');
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    const out = JSON.parse(r.stdout) as CiJson;
    const why = 'suite from-data changed (its cases_from file data/golden.jsonl)';
    // 1.0.0 is outside the suite's range; 1.1.0 is the highest version it covers.
    expect(out.plan.evaluate).toEqual([{ ref: 'support-answer@1.1.0', why, candidate: true }]);
    expect(out.plan.lintFiles).toEqual(['evalsets/support-answer/from-data.yaml']);
    const runs = out.report!.runs.filter((x) => x.run.suite === 'from-data');
    expect(runs.map((x) => x.run.summary?.cases)).toEqual([ROWS]);
    expect(runHashes(dir)).toEqual([runs[0]!.run.suiteHash]);

    // Uncommitted changes count too, as for suite files.
    writeProjectFile(dir, 'data/golden.jsonl', readProjectFile(dir, 'data/golden.jsonl').replace('(8)', '(8, once more)'));
    const again = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(again.code, again.output).toBe(0);
    expect((JSON.parse(again.stdout) as CiJson).plan.evaluate).toEqual([{ ref: 'support-answer@1.1.0', why, candidate: true }]);
    const hashes = runHashes(dir);
    expect(hashes).toHaveLength(2);
    expect(hashes[1]).not.toBe(hashes[0]);
  });

  it('a data file no suite reads changes nothing', async () => {
    const dir = repoWithDataSuite();
    writeProjectFile(dir, 'data/other.jsonl', '{"id":"x","question":"?"}\n');
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    expect((JSON.parse(r.stdout) as CiJson).plan).toMatchObject({ evaluate: [], nothingChanged: true });
  });

  it('a broken row or a deleted data file is a change of the suites that read it: exit 2 naming file:line, not "nothing changed"', async () => {
    const dir = repoWithDataSuite();
    writeProjectFile(dir, 'data/golden.jsonl', `${readProjectFile(dir, 'data/golden.jsonl')}{"id": "row-x", "question": \n`);
    commitAll(dir, 'break a row');
    const broken = await cli(dir, 'ci', '--base', 'main');
    expect(broken.code, broken.output).toBe(2);
    expect(broken.stdout).toMatch(new RegExp(`^data/golden\\.jsonl:${ROWS + 1}:\\d+ `, 'm'));

    git(dir, 'reset', '-q', '--hard', 'main');
    git(dir, 'rm', '-q', 'data/golden.jsonl');
    commitAll(dir, 'drop the data file');
    const gone = await cli(dir, 'ci', '--base', 'main');
    expect(gone.code, gone.output).toBe(2);
    expect(gone.stdout).toMatch(/^evalsets\/support-answer\/from-data\.yaml:\d+:\d+ error cases_from\.file: cases_from file "data\/golden\.jsonl" does not exist \(paths are relative to the project root\)/m);
  });

  it('a new version covered by a suite whose data cannot be used: exit 2 naming why, not "no suite applies"', async () => {
    const dir = repoWithDataSuite();
    writeProjectFile(dir, 'data/golden.jsonl', `${readProjectFile(dir, 'data/golden.jsonl')}{"id": "row-x", "question": \n`);
    commitAll(dir, 'break a row');
    // The broken row is on the base branch already; this change only adds a version the suite covers.
    git(dir, 'branch', '-f', 'main');
    writeProjectFile(dir, 'prompts/support-answer/1.2.0.yaml', readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace(/^version: .*$/m, 'version: 1.2.0'));
    commitAll(dir, 'a new version');
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^data/golden\\.jsonl:${ROWS + 1}:\\d+ `, 'm'));
    expect(r.output).not.toContain('no suite applies');
  });

  it('lint says a bad row of a file two suites read once, naming both suites: one error', async () => {
    const dir = repoWithDataSuite();
    writeProjectFile(dir, 'evalsets/support-answer/from-data-too.yaml', readProjectFile(dir, 'evalsets/support-answer/from-data.yaml'));
    writeProjectFile(dir, 'data/golden.jsonl', `${readProjectFile(dir, 'data/golden.jsonl')}{"id": "row-x", "question": \n`);
    const r = await cli(dir, 'lint');
    expect(r.code, r.output).toBe(2);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('data/golden.jsonl:'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('(read by 2 suites: evalsets/support-answer/from-data-too.yaml, evalsets/support-answer/from-data.yaml)');
    expect(r.stdout).toContain('1 error,');
  });
});
