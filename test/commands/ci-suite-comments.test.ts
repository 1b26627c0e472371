import { beforeAll, describe, expect, it } from 'vitest';
import { cli, git, initRepo, repoCopy } from '../support/ci-repo.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A suite file whose comments or formatting alone changed means what it meant: its data, what the
 * registry hashes, is the base's, so ci re-runs nothing for it and lists it as such, as it already
 * judged a version file or the config. Any change of what it means (a case, a threshold, an
 * expectation, the rows of its `cases_from` file) still re-runs every version it covers.
 */

const sim = simulatorForFile();

const GOLDEN = 'evalsets/support-answer/golden.yaml';
const FROM_DATA = 'evalsets/support-answer/from-data.yaml';
const DATA = 'data/rows.jsonl';
const VERSION = 'prompts/support-answer/1.1.0.yaml';

/** The example project on main, plus a suite read from a data file; HEAD on a branch of its own. */
function makeBranch(): string {
  const dir = makeSimProject(sim.url, {}, 'promptctl-ci-comments-');
  relaxLatencyGate(dir);
  const rows = [0, 1, 2].map((i) => JSON.stringify({ id: `row-${i}`, question: `How long do I have to ask for a refund? (${i})`, expect: [{ icontains: '30 days' }] }));
  writeProjectFile(dir, DATA, `${rows.join('\n')}\n`);
  writeProjectFile(dir, FROM_DATA, 'prompt: support-answer\nversions: ">=1.1.0"\nkind: golden\nthreshold: 0.5\ncases_from:\n  file: data/rows.jsonl\n');
  initRepo(dir, 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  return dir;
}

// Made once for the file, copied for each test: the same repository without its git processes.
let template: string;
beforeAll(() => {
  template = makeBranch();
});
const branch = () => repoCopy(template, 'promptctl-ci-comments-');

const edit = (dir: string, file: string, change: (text: string) => string) => writeProjectFile(dir, file, change(readProjectFile(dir, file)));
/** Comments added, a value quoted and re-spaced, a flow mapping written as a block: the same data. */
const reformatted = (text: string) =>
  `# Reviewed with support in December.\n${text.replace('kind: golden', 'kind: "golden"   # the usual kind').replace('threshold: 0.75', 'threshold:    0.750').replace('vars: { question: "How long do I have to ask for a refund?" }', 'vars:\n      question: How long do I have to ask for a refund?')}`;

interface Plan {
  evaluate: Array<{ ref: string; why: string }>;
  lintFiles: string[];
  sameContent: Array<{ file: string; kind: string }>;
}
const planOf = (stdout: string) => (JSON.parse(stdout) as { plan: Plan }).plan;

describe('ci and a suite edited in comments or formatting only', () => {
  it('re-runs nothing, lints it, and lists it (with a version file edited the same way) as same content', async () => {
    const dir = branch();
    edit(dir, GOLDEN, reformatted);
    edit(dir, FROM_DATA, (t) => `# rows exported from the help desk\n${t}`);
    edit(dir, VERSION, (t) => `${t}\n# a note for reviewers\n`);
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    const plan = planOf(r.stdout);
    expect(plan.evaluate).toEqual([]);
    expect(plan.lintFiles).toEqual([FROM_DATA, GOLDEN, VERSION]);
    expect(plan.sameContent).toEqual([{ file: FROM_DATA, kind: 'suite' }, { file: GOLDEN, kind: 'suite' }, { file: VERSION, kind: 'version' }]);
    const text = await cli(dir, 'ci', '--base', 'main', '--summary', 's.md');
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toContain(`same content suite ${GOLDEN} (comments or formatting only: nothing re-run)`);
    expect(readProjectFile(dir, 's.md')).toContain(`### Comments or formatting only\n\nThe same content as on the base (what the registry hashes): linted, nothing re-run.\n\n- suite \`${FROM_DATA}\`\n- suite \`${GOLDEN}\`\n- version \`${VERSION}\``);
  });

  it.each([
    ['a threshold', GOLDEN, (t: string) => reformatted(t).replace('threshold:    0.750', 'threshold: 0.8'), 'suite golden changed'],
    ['an expectation', GOLDEN, (t: string) => `# stricter\n${t.replace('icontains: "30 days"', 'icontains: "30 calendar days"')}`, 'suite golden changed'],
    ['a case removed', GOLDEN, (t: string) => `# one case fewer\n${t.replace(/ {2}- id: support-hours[\s\S]*?max-tokens: 60\n/, '')}`, 'suite golden changed'],
  ])('%s changed with comments around it: the versions the suite covers re-run', async (_, file, change, why) => {
    const dir = branch();
    edit(dir, file, change);
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    const plan = planOf(r.stdout);
    expect(plan.evaluate.map((e) => [e.ref, e.why])).toEqual([['support-answer@1.0.0', why], ['support-answer@1.1.0', why]]);
    expect(plan.sameContent).toEqual([]);
  });

  it.each([
    ['converted to CRLF', (t: string) => t.replace(/\n/g, '\r\n')],
    ['its keys reordered and spaced', (t: string) => t.replace(/"id":("row-\d")/g, ' "id" :  $1 ')],
  ])("a data file %s, its rows the base's: nothing re-runs, listed as same content data", async (_, change) => {
    const dir = branch();
    edit(dir, DATA, change);
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    const plan = planOf(r.stdout);
    expect(plan.evaluate).toEqual([]);
    expect(plan.sameContent).toEqual([{ file: DATA, kind: 'data' }]);
  });

  it("a suite edited in comments only, whose data file's rows changed, re-runs and is not listed as same content", async () => {
    const dir = branch();
    edit(dir, FROM_DATA, (t) => `# rows exported again\n${t}`);
    edit(dir, DATA, (t) => t.replace('(1)', '(1, asked again)'));
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    const plan = planOf(r.stdout);
    expect(plan.evaluate.map((e) => e.ref)).toEqual(['support-answer@1.1.0']);
    expect(plan.evaluate[0]!.why).toBe(`suite from-data changed (its cases_from file ${DATA})`);
    expect(plan.sameContent).toEqual([]);
    expect(plan.lintFiles).toEqual([FROM_DATA]);
  });
});
