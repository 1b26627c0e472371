import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { parseJsonOutput, runCliInProcess, type RunResult } from '../support/cli.js';
import { cleanupTempDirs, makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * Issue 10: "A fully cached re-run needs no server at all." When every answer of the planned run,
 * and every judge answer scoring them needs, is in the registry's response cache, `eval` sends
 * nothing and checks nothing: it completes with the server down. As soon as one answer is missing,
 * the server is checked first, and a server that is down stops the run with exit 3 as before.
 * Nor does it need the API key: a fork's pull request gets its secrets as empty strings, and a key
 * that is set but empty stops the run (exit 2) only when something must be sent.
 */

// A rubric case: its judge answers must be cached too. judge_model also sends the adversarial
// suite's refusal and compliance checks to the judge.
const RUBRIC_CASE = `  - id: polite-refund
    vars: { question: "Can I still get a refund after 20 days?" }
    expect:
      - judge: { rubric: "answers politely", min_score: 0 }
`;

let sim: Simulator | undefined;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  dir = makeSimProject(sim.url, { api_key_env: 'CACHED_OFFLINE_KEY', judge_model: 'sim-model', timeout_ms: 30_000, retries: { max_attempts: 1, base_delay_ms: 0, max_delay_ms: 0 } }, 'promptctl-cached-offline-');
  const golden = readProjectFile(dir, 'evalsets/support-answer/golden.yaml');
  writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', `${golden.trimEnd()}\n${RUBRIC_CASE}`);
});

afterAll(async () => {
  await sim?.close();
  cleanupTempDirs();
});

const evalJson = (env: Record<string, string> = {}, extra: string[] = []): Promise<RunResult> =>
  runCliInProcess(['eval', 'support-answer@1.1.0', '--json', ...extra], { cwd: dir, env });
/** What a fork's pull request runs with: the secret the config names, set but empty. */
const emptyKey = { CACHED_OFFLINE_KEY: '' };

/** Every case's verdict per suite: what a re-run must reproduce. */
function verdicts(r: RunResult): Record<string, Record<string, string>> {
  const report = parseJsonOutput(r);
  return Object.fromEntries(report.runs.map((run: any) => [run.run.suite, Object.fromEntries(run.cases.map((c: any) => [c.caseId, c.verdict]))]));
}

describe('eval re-run answered entirely from the cache', () => {
  it('needs no server, and gives the same verdicts; one new case with the server down exits 3', async () => {
    const first = await evalJson();
    expect(first.code, first.output).toBe(0);
    const sent = sim!.stats();
    expect(sent.chatCompletions).toBeGreaterThan(0);
    expect(sent.requests['/v1/models'] ?? 0).toBeGreaterThan(0);
    const expected = verdicts(first);
    expect(Object.keys(expected).sort()).toEqual(['adversarial', 'golden']);
    expect(expected.golden!['polite-refund']).toBe('pass');

    await sim!.close();
    sim = undefined;

    const again = await evalJson(emptyKey);
    expect(again.code, again.output).toBe(0);
    expect(again.stderr).not.toMatch(/^(error|warning): /m);
    expect(verdicts(again)).toEqual(expected);
    const report = parseJsonOutput(again);
    for (const run of report.runs) expect(run.run.status).toBe('finished');

    // One case that was never answered: the server must be asked, and it is down.
    const golden = readProjectFile(dir, 'evalsets/support-answer/golden.yaml');
    writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', `${golden.trimEnd()}\n  - id: brand-new\n    vars: { question: "Do you ship to Iceland?" }\n    expect:\n      - icontains: "ship"\n`);
    // Refused before anything is written: an edited draft's new content is not registered either.
    const headBefore = (await runCliInProcess(['audit', 'head'], { cwd: dir })).stdout;
    const draft = 'prompts/support-answer/1.1.0.yaml';
    const draftText = readProjectFile(dir, draft);
    writeProjectFile(dir, draft, draftText.replace('You are the support assistant', 'You are the kind support assistant'));
    const noKey = await evalJson(emptyKey);
    expect(noKey.code, noKey.output).toBe(2);
    // The command tests run as a CI job (CI=1): the message names that.
    expect(noKey.stderr).toMatch(/^error: CACHED_OFFLINE_KEY is set but empty in this CI job$/m);
    expect((await runCliInProcess(['audit', 'head'], { cwd: dir })).stdout).toBe(headBefore);
    writeProjectFile(dir, draft, draftText);
    // Without the cache every sample is sent: the empty key stops the run before anything else.
    const uncached = await evalJson(emptyKey, ['--no-cache']);
    expect(uncached.code, uncached.output).toBe(2);
    expect(uncached.stderr).toMatch(/^error: CACHED_OFFLINE_KEY is set but empty in this CI job$/m);
    const missing = await evalJson();
    expect(missing.code, missing.output).toBe(3);
    expect(missing.stderr).toMatch(/cannot reach|refused/i);
    expect(missing.stderr).not.toMatch(/^(done|stopped) /m);
  });
});
