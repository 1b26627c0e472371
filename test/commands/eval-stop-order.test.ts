import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { reportOutcome } from '../../src/cli-outcome.js';
import { REPO_ROOT } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { git, initRepo } from '../support/ci-repo.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Report #7 of the terminal hunt: on a terminal stdout and stderr share the screen. A stopped eval
 * printed its error first and the report after it, which ended on "✓ … tested" or the table: the
 * last lines did not say the run had stopped. The error now follows the report.
 */

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const sim = simulatorForFile({ seed: 3 });

/** eval with both streams on one screen, as a terminal shows them; `onStderr` sees each stderr write. */
async function onOneScreen(cwd: string, args: string[], signal?: AbortController): Promise<{ code: number; screen: string }> {
  let screen = '';
  const w = {
    stdout: (t: string) => void (screen += t),
    stderr: (t: string) => {
      screen += t;
      // Ctrl-C as the eval announces its start, before the first answer.
      if (signal && !signal.signal.aborted) signal.abort('SIGINT');
    },
  };
  const outcome = await runCli({ argv: ['eval', ...args], cwd, env: { NO_COLOR: '1', CI: '1' }, ...w, stdoutIsTTY: false, stdinIsTTY: false, version: VERSION, signal: signal?.signal });
  return { code: await reportOutcome(outcome, w), screen };
}

describe('a stopped eval on one screen', () => {
  it('Ctrl-C: the report first, then the interruption, last', async () => {
    const dir = makeSimProject(sim.url);
    const r = await onOneScreen(dir, ['support-answer@1.1.0', '--suite', 'golden'], new AbortController());
    expect(r.code, r.screen).toBe(130);
    expect(r.screen.indexOf('error: interrupted'), r.screen).toBeGreaterThan(r.screen.indexOf('Model sim-model'));
    expect(r.screen.trimEnd()).toMatch(/^hint: run the same command with --resume.*$/m);
    expect(r.screen.trimEnd().split('\n').at(-1)).toMatch(/^hint: /);
  });

  it('a circuit-breaker stop: the report first, then the stop, last', async () => {
    const dir = makeSimProject(sim.url, { concurrency: 2, retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 }, circuit_breaker: { consecutive_failures: 2 } });
    writeProjectFile(dir, 'evalsets/support-answer/breaker.yaml', generatedGoldenSuite({ count: 20, versions: '1.1.0', prefix: 'breaker' }));
    sim.setFaults({ reset: 1 });
    const r = await onOneScreen(dir, ['support-answer@1.1.0', '--suite', 'breaker']).finally(() => sim.setFaults({}));
    expect(r.code, r.screen).toBe(3);
    expect(r.screen.indexOf('error: the run stopped early'), r.screen).toBeGreaterThan(r.screen.indexOf('Model sim-model'));
    expect(r.screen.trimEnd().split('\n').at(-1)).toMatch(/^hint: check the server/);
  });
});

describe('ci stopped by an unreachable server, on one screen', () => {
  it('the summary first, then the error, last', async () => {
    const dir = makeSimProject('http://127.0.0.1:9/v1');
    initRepo(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeProjectFile(dir, 'prompts/support-answer/1.2.0.yaml', readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace(/^version: .*$/m, 'version: 1.2.0'));
    let screen = '';
    const w = { stdout: (t: string) => void (screen += t), stderr: (t: string) => void (screen += t) };
    const outcome = await runCli({ argv: ['ci', '--base', 'main'], cwd: dir, env: { NO_COLOR: '1', CI: '1', PROMPTCTL_ACTOR: 'ci@example.com' }, ...w, stdoutIsTTY: false, version: VERSION });
    const code = await reportOutcome(outcome, w);
    expect(code, screen).toBe(3);
    expect(screen.trimEnd().split('\n').at(-1), screen).toMatch(/^hint: /);
  });
});
