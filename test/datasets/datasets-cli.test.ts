import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, removeProjectFile, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Suites whose cases come from files at the size golden sets have (issue 14, item 2): a 2,000-row
 * JSONL and a 2,000-row CSV suite lint and evaluate against the simulator, and a changed dataset is
 * a changed suite (a new run; the tested mark earned on the old rows no longer counts).
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'script@example.com' };
const ROWS = 2000;
const TOPICS = [
  { q: 'How long do I have to ask for a refund', want: '30 days' },
  { q: 'How many days does standard shipping take', want: 'business days' },
  { q: 'How do I reset my password', want: 'account settings' },
  { q: 'What are your support hours', want: '9am' },
];

function datasetProject(): string {
  const dir = makeSimProject(sim.url, {}, 'promptctl-datasets-cli-');
  // Only the two dataset suites apply, so their runs alone decide the tested mark.
  removeProjectFile(dir, 'evalsets/support-answer/golden.yaml');
  removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
  const jsonl: string[] = [];
  const csv = ['id,question,answer,tags'];
  for (let i = 0; i < ROWS; i++) {
    const t = TOPICS[i % TOPICS.length]!;
    jsonl.push(JSON.stringify({ id: `j-${i}`, question: `${t.q}? (ticket j-${i})`, expect: [{ icontains: t.want }] }));
    // Quoted fields with commas and doubled quotes, CRLF line ends: the parser, not a split, reads them.
    csv.push(`c-${i},"${t.q}, please? (ticket ""c-${i}"")",${t.want},"topic${i % 4}, csv"`);
  }
  writeProjectFile(dir, 'data/golden.jsonl', `${jsonl.join('\n')}\n`);
  writeProjectFile(dir, 'data/golden.csv', `${csv.join('\r\n')}\r\n`);
  const suite = (from: string) => `prompt: support-answer\nversions: ">=1.1.0"\nkind: golden\nthreshold: 0.9\ncases_from:\n${from}\n`;
  writeProjectFile(dir, 'evalsets/support-answer/from-jsonl.yaml', suite('  file: data/golden.jsonl'));
  writeProjectFile(dir, 'evalsets/support-answer/from-csv.yaml', suite('  file: data/golden.csv\n  vars: { question: question }\n  expect:\n    - icontains: "{{answer}}"'));
  return dir;
}

const runsOf = (dir: string, suite: string) => withRegistry(dir, (db) => db.prepare('SELECT suite_hash AS hash, status FROM runs WHERE suite = ? ORDER BY started_at').all(suite) as Array<{ hash: string; status: string }>);

describe('cases from files at 2,000 rows', () => {
  it('lint and eval a JSONL and a CSV suite; a changed CSV row is a changed suite', { timeout: 300_000 }, async () => {
    const dir = datasetProject();
    const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir, env });

    const lint = await cli('lint');
    expect(lint.code, lint.output).toBe(0);

    const result = await runEval({ cwd: dir, env, refs: ['support-answer@1.1.0'] });
    expect(result.exitCode, JSON.stringify(result.warnings)).toBe(0);
    const bySuite = new Map(result.report.runs.map((r) => [r.run.suite, r.run.summary!]));
    expect(bySuite.get('from-jsonl')).toMatchObject({ cases: ROWS, verdict: 'passed' });
    expect(bySuite.get('from-csv')).toMatchObject({ cases: ROWS, verdict: 'passed' });
    expect(runsOf(dir, 'from-csv')).toHaveLength(1);

    // One changed row: the suite's content hash moves, so the mark earned on the old rows is void.
    const csv = readProjectFile(dir, 'data/golden.csv');
    writeProjectFile(dir, 'data/golden.csv', csv.replace('c-7,"', 'c-7,"Quick question: '));
    const refused = await cli('deploy', 'support-answer@1.1.0', '--env', 'staging');
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toMatch(/from-csv/);

    const again = await cli('eval', 'support-answer@1.1.0', '--suite', 'from-csv');
    expect(again.code, again.output).toBe(0);
    const runs = runsOf(dir, 'from-csv');
    expect(runs).toHaveLength(2);
    expect(runs[1]!.hash).not.toBe(runs[0]!.hash);
    // The JSONL suite did not change: its run still counts.
    expect(runsOf(dir, 'from-jsonl')).toHaveLength(1);
    const deployed = await cli('deploy', 'support-answer@1.1.0', '--env', 'staging');
    expect(deployed.code, deployed.output).toBe(0);
  });

  it('a bad row stops eval with exit 2 naming file:line and column; lint lists it', async () => {
    const dir = datasetProject();
    const csv = readProjectFile(dir, 'data/golden.csv').split('\r\n');
    csv[42] = 'c-40,"dup id",30 days,x';
    writeProjectFile(dir, 'data/golden.csv', csv.join('\r\n'));
    const evalRun = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir, env });
    expect(evalRun.code, evalRun.output).toBe(2);
    expect(evalRun.output).toContain('data/golden.csv:43 (column "id"): case id "c-40" is already used by the row on line 42');
    // Each bad row once: lint lists the row itself, not also the suite's one-line summary of it.
    const lint = await runCliInProcess(['lint'], { cwd: dir, env });
    expect(lint.code).toBe(2);
    expect(lint.output).toMatch(/data\/golden\.csv:43:1/);
    expect(lint.output.match(/already used by the row on line 42/g)).toHaveLength(1);
    expect(lint.output).toContain('1 error, 0 warnings');
    // Linting the suite lints its data file's rows (it said "`promptctl lint` lists them").
    const suite = await runCliInProcess(['lint', 'evalsets/support-answer/from-csv.yaml'], { cwd: dir, env });
    expect(suite.code).toBe(2);
    expect(suite.output).toMatch(/^data\/golden\.csv:43:1 error id: .*already used by the row on line 42/m);
    expect(suite.output).not.toContain('lists them');
    expect(suite.output).toContain('2 files checked: 1 error, 0 warnings');
  });

  it('lint names a column that is no variable of the prompt once, at its first row', async () => {
    const dir = datasetProject();
    writeProjectFile(dir, 'evalsets/support-answer/from-csv.yaml', 'prompt: support-answer\nversions: ">=1.1.0"\nkind: golden\ncases_from:\n  file: data/golden.csv\n  expect:\n    - icontains: "{{answer}}"\n');
    const lint = await runCliInProcess(['lint'], { cwd: dir, env });
    expect(lint.code).toBe(2);
    const lines = lint.output.split('\n').filter((l) => l.includes('data/golden.csv'));
    expect(lines.filter((l) => /"answer"/.test(l))).toHaveLength(1);
    expect(lint.output).toMatch(/data\/golden\.csv:2:1.*column "answer" sets a variable that support-answer@1\.1\.0 does not declare \(2000 rows; the first is here\)/);
  });
});
