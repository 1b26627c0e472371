import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { reportOutcome } from '../../src/cli-outcome.js';
import { REPO_ROOT } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/** Terminal hunt D2: a production redeploy that would change nothing asked "Go ahead?" and printed its checks twice. */

afterAll(() => cleanupTempDirs());

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const CONFIG = UNGATED_CONFIG;

async function atTerminal(cwd: string, args: string[]) {
  let out = '';
  const asked: string[] = [];
  const w = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t) };
  const outcome = await runCli({ argv: args, cwd, env: { NO_COLOR: '1', PROMPTCTL_ACTOR: 'me@example.com' }, ...w, stdoutIsTTY: true, stdinIsTTY: true, version: VERSION, confirm: async (q) => (asked.push(q), true) });
  return { code: await reportOutcome(outcome, w), out, asked };
}

describe('a production change that would change nothing', () => {
  it('is not asked about, and says so once', async () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', CONFIG);
    const first = await atTerminal(dir, ['deploy', 'support-answer@1.0.0', '--env', 'production']);
    expect(first.code, first.out).toBe(0);
    expect(first.asked).toHaveLength(1);
    const again = await atTerminal(dir, ['deploy', 'support-answer@1.0.0', '--env', 'production']);
    expect(again.code, again.out).toBe(0);
    expect(again.asked).toEqual([]);
    expect(again.out).toContain('support-answer@1.0.0 is already active in production: nothing to do');
    expect(again.out).not.toContain('dry run');
  });
});
