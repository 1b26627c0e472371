import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, exportPrompts } from '../../src/app/index.js';
import { InputError } from '../../src/core/errors.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';

/**
 * exportPrompts' `output` in a folder that does not exist: the error names the option as the caller
 * wrote it (README: "An error about an option names it as your options object does"). Before, a
 * script read about the CLI's `-o`, which it never passed.
 */

const ID = 'support-answer';
let cwd: string;
const env = {};

beforeAll(async () => {
  cwd = makeProject();
  markTested(cwd, `${ID}@1.0.0`);
  await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'staging' });
});
afterAll(() => cleanupTempDirs());

describe('exportPrompts output in a missing folder', () => {
  it('names `output` for a script, and `-o` for the command line', async () => {
    const script = await exportPrompts({ cwd, env, environment: 'staging', output: 'no-such-folder/bundle.json' }).catch((e: unknown) => e);
    expect(script).toBeInstanceOf(InputError);
    expect((script as InputError).message).toMatch(/^cannot write output \S+no-such-folder\/bundle\.json: /);
    const flags = await exportPrompts({ cwd, env, environment: 'staging', output: 'no-such-folder/bundle.json', optionNames: 'flags' }).catch((e: unknown) => e);
    expect((flags as InputError).message).toMatch(/^cannot write -o \S+no-such-folder\/bundle\.json: /);
    const cli = await runCliInProcess(['export', '--env', 'staging', '-o', 'no-such-folder/bundle.json'], { cwd });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/cannot write -o \S+no-such-folder\/bundle\.json: /);
  });
});
