import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * What `report <id>@<a> <id>@<b>` prints once written: the cases paired, in `promptctl compare`'s
 * words, and each version's counts named. One set of counts (the second version's) read as both.
 */

const sim = simulatorForFile();
const ID = 'support-answer';

describe('report of two versions compared', () => {
  it("names each version's counts and counts the pairs as compare does", async () => {
    const dir = makeSimProject(sim.url);
    // The golden suite alone: the worse version fails two of its four cases.
    rmSync(path.join(dir, 'evalsets', ID, 'adversarial.yaml'));
    const prompts = path.join(dir, 'prompts', ID);
    const worse = readFileSync(path.join(prompts, '1.1.0.yaml'), 'utf8')
      .replace('version: 1.1.0', 'version: 1.2.0')
      .split('\n')
      .filter((l) => !/^\s*- (Refunds|Support hours)/.test(l))
      .join('\n');
    writeFileSync(path.join(prompts, '1.2.0.yaml'), worse);
    const run = (...args: string[]) => runCliInProcess(args, { cwd: dir, env: SCRIPT_ENV });
    expect((await run('eval', `${ID}@1.1.0`)).code).toBe(0);
    expect((await run('eval', `${ID}@1.2.0`)).code).toBe(1);

    const r = await run('report', `${ID}@1.1.0`, `${ID}@1.2.0`, '-o', 'cmp.html');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      `wrote cmp.html: ${ID}: 1.1.0 vs 1.2.0 — 2 runs, 4 cases compared: 2 regressions, 0 fixes, 0 other verdict changes, 0 changed outputs, 2 identical`,
      '  1.1.0: 4 cases: 4 passed, 0 failed, 0 errors',
      '  1.2.0: 4 cases: 2 passed, 2 failed, 0 errors',
    ]);
    const json = JSON.parse((await run('report', `${ID}@1.1.0`, `${ID}@1.2.0`, '-o', 'cmp.html', '--json')).stdout) as Record<string, unknown>;
    expect(json.versions).toEqual([
      { version: '1.1.0', cases: 4, passed: 4, failed: 0, errored: 0, notRun: 0 },
      { version: '1.2.0', cases: 4, passed: 2, failed: 2, errored: 0, notRun: 0 },
    ]);
  });
});
