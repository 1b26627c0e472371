import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * A deploy's dry run lists every check as ok, FAIL or skip. A suite that gained a case after both
 * the candidate and the deployed version ran it has a current run on neither side: its regression
 * check had no line at all, where one side's missing run was said ("not compared").
 */

const sim = simulatorForFile();
const ID = 'support-answer';

describe('deploy --dry-run with a suite neither version has a current run of', () => {
  it('says the suite was not compared, naming the eval of the candidate', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-dry-unrun-');
    relaxLatencyGate(cwd);
    const cli = (...args: string[]) => runCliInProcess(args, { cwd, env: SCRIPT_ENV });
    for (const version of ['1.0.0', '1.1.0']) expect((await cli('eval', `${ID}@${version}`)).code).toBe(0);
    expect((await cli('deploy', `${ID}@1.0.0`, '--env', 'development')).code).toBe(0);
    const golden = readProjectFile(cwd, 'evalsets/support-answer/golden.yaml');
    writeProjectFile(cwd, 'evalsets/support-answer/golden.yaml', `${golden}  - id: added-later\n    vars: { question: "Do you ship abroad?" }\n    expect:\n      - icontains: "ship"\n`);
    const dry = await cli('deploy', `${ID}@1.1.0`, '--env', 'development', '--dry-run');
    expect(dry.code, dry.output).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}skip golden suite 'golden': not compared with 1\.0\.0: 1\.1\.0 has no finished run/m);
  });
});
