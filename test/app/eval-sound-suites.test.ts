import { describe, expect, it } from 'vitest';
import { deploy, lint, runEval, status } from '../../src/app/index.js';
import { InputError } from '../../src/core/errors.js';
import { makeSimProject, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `eval` and `deploy` judge a prompt only when `lint` finds no error in its suites: the schema and
 * tool rules included, and the expectations of `cases_from` rows. Before, the gate ran without
 * those rules: an invalid suite was sent, recorded as failing, and withdrew the tested mark of the
 * version deployed in staging.
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'script@example.com' };
const ID = 'support-answer';

const suite = (expectLines: string, more = '') =>
  `prompt: ${ID}\nversions: ">=1.1.0"\nkind: golden\nthreshold: 1\n${more}cases:\n  - id: a\n    vars: { question: "How long do I have for a refund?" }\n    expect:\n${expectLines}`;

interface Row {
  name: string;
  files: Record<string, string>;
  rule: string;
  /** file:line field of the problem, as lint and the gate name it. */
  where: string;
}

const ROWS: Row[] = [
  { name: 'an invalid json-schema', files: { 'evalsets/support-answer/schema.yaml': suite('      - json-schema: { type: objectx, required: 5 }\n') }, rule: 'schema/invalid', where: 'evalsets/support-answer/schema.yaml:9 cases.0.expect.0.json-schema' },
  { name: 'a tool-call to a tool the version does not declare', files: { 'evalsets/support-answer/schema.yaml': suite('      - tool-call: { name: get_wether }\n') }, rule: 'tools/unknown-tool', where: 'evalsets/support-answer/schema.yaml:9 cases.0.expect.0' },
  { name: 'matches-response-format on a version without a schema', files: { 'evalsets/support-answer/schema.yaml': suite('      - json-schema: { matches-response-format: true }\n') }, rule: 'schema/no-response-format', where: 'evalsets/support-answer/schema.yaml:9 cases.0.expect.0' },
  {
    name: 'an invalid json-schema in a cases_from row',
    files: {
      'evalsets/support-answer/schema.yaml': `prompt: ${ID}\nversions: ">=1.1.0"\nkind: golden\nthreshold: 1\ncases_from:\n  file: data/rows.yaml\n`,
      'data/rows.yaml': '- id: ok\n  question: "What are your support hours?"\n  expect: [{ icontains: "9am" }]\n- id: bad\n  question: "How long do I have for a refund?"\n  expect:\n    - json-schema: { type: objectx }\n',
    },
    rule: 'schema/invalid',
    where: 'data/rows.yaml:4 expect.0.json-schema',
  },
];

const runCount = (dir: string) => withRegistry(dir, (db) => (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n);
const where = (p: { file: string; line: number; field?: string }) => `${p.file}:${p.line} ${p.field}`;

/** 1.1.0 evaluated and deployed to staging with its tested mark. */
async function deployedProject(): Promise<string> {
  const dir = makeSimProject(sim.url, {}, 'promptctl-sound-suites-');
  expect((await runEval({ cwd: dir, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
  expect((await deploy({ cwd: dir, env, ref: `${ID}@1.1.0`, environment: 'staging' })).exitCode).toBe(0);
  return dir;
}

describe('a suite lint refuses stops eval and deploy before anything is sent or recorded', () => {
  it.each(ROWS)('$name', async (row) => {
    const dir = await deployedProject();
    for (const [rel, text] of Object.entries(row.files)) writeProjectFile(dir, rel, text);

    const linted = await lint({ cwd: dir, env });
    expect(linted.exitCode).toBe(2);
    expect(linted.outcome.problems.filter((p) => p.severity === 'error').map((p) => `${where(p)} [${p.rule}]`)).toEqual([`${row.where} [${row.rule}]`]);

    const runs = runCount(dir);
    sim.resetStats();
    const evaluated = await runEval({ cwd: dir, env, refs: [`${ID}@1.1.0`], suite: ['schema'] }).catch((e: unknown) => e);
    expect(evaluated).toBeInstanceOf(InputError);
    expect((evaluated as InputError).exitCode).toBe(2);
    expect((evaluated as InputError).problems.map((p) => `${where(p)} [${p.rule}]`)).toEqual([`${row.where} [${row.rule}]`]);
    expect(sim.stats().chatCompletions).toBe(0);
    expect(runCount(dir)).toBe(runs);
    // The mark is not withdrawn: the new suite has not run, so it is stale, never NO.
    expect((await status({ cwd: dir, env, environment: 'staging' })).rows[0]).toMatchObject({ version: '1.1.0', staleSuites: [{ suite: 'schema', why: 'added' }] });

    const deployed = await deploy({ cwd: dir, env, ref: `${ID}@1.1.0`, environment: 'production', reason: 'r', dryRun: true }).catch((e: unknown) => e);
    expect(deployed).toBeInstanceOf(InputError);
    expect((deployed as InputError).problems.map((p) => p.rule)).toEqual([row.rule]);
  });
});
