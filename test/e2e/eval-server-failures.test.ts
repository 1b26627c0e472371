import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lint } from '../../src/app/index.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, closedPort, generatedGoldenSuite, makeSimProject, readProjectFile, withRegistry, writeProjectFile } from '../support/project.js';

/**
 * The server failing under a run, as an operator sees it: a server that answers 5xx to everything
 * (a key-checking proxy in front of a dead vLLM) stops the run with exit 3; one dead replica of
 * two, or one that dies mid-run, costs nothing; an unset key variable gets a hint to export it.
 * Servers "die" after a fixed number of requests (the simulator's faultsAfter), never on a timer.
 */

const sims: Simulator[] = [];
async function sim(opts: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const s = await startSimulator({ port: 0, ...opts });
  sims.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});
afterAll(() => cleanupTempDirs());

const fast = { retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 5 } };

function project(baseUrl: string | string[], cases: number, server: Record<string, unknown> = {}): string {
  const dir = makeSimProject(baseUrl as string, { ...fast, ...server });
  writeProjectFile(dir, 'evalsets/support-answer/gen.yaml', generatedGoldenSuite({ count: cases, versions: '1.1.0' }));
  return dir;
}
const evalGen = (dir: string, extra: string[] = []) => runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'gen', ...extra], { cwd: dir });

describe('eval when the server fails', () => {
  it('a server that answers 500 to everything opens the breaker: exit 3, results so far kept, the rest not run', async () => {
    const CASES = 60;
    const OK_FIRST = 10;
    const THRESHOLD = 3;
    const CONCURRENCY = 4;
    const s = await sim({ faults: { error500: 1 }, faultsAfter: OK_FIRST });
    const dir = project(s.url, CASES, { concurrency: CONCURRENCY, circuit_breaker: { consecutive_failures: THRESHOLD } });
    const r = await evalGen(dir);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toContain(s.url);
    expect(r.stderr).toMatch(/circuit breaker open/);
    expect(r.stderr).toMatch(/^hint: .*--resume/m);
    expect(r.stderr).not.toMatch(/hit a bug/);

    const rows = withRegistry(dir, (db) => db.prepare('SELECT s.verdict AS verdict, r.status AS status FROM samples s JOIN runs r ON r.id = s.run_id').all() as { verdict: string; status: string }[]);
    // The answers before the server died are recorded; then at most one failure per worker past the threshold.
    expect(rows.filter((x) => x.verdict !== 'error')).toHaveLength(OK_FIRST);
    const errors = rows.filter((x) => x.verdict === 'error').length;
    expect(errors).toBeGreaterThanOrEqual(THRESHOLD);
    expect(errors).toBeLessThanOrEqual(THRESHOLD + CONCURRENCY - 1);
    expect(new Set(rows.map((x) => x.status))).toEqual(new Set(['aborted']));
    // Nothing like cases x attempts was sent.
    expect(s.stats().chatCompletions).toBeLessThanOrEqual(OK_FIRST + (THRESHOLD + CONCURRENCY - 1) * fast.retries.max_attempts);

    // The server is back: --resume sends the cases that were not run and those recorded as errors.
    s.setFaults({});
    s.resetStats();
    const resumed = await evalGen(dir, ['--resume', '--json']);
    expect(resumed.stderr).not.toMatch(/hit a bug/);
    expect(s.stats().chatCompletions).toBe(CASES - OK_FIRST);
    expect(parseJsonOutput(resumed).runs[0].run.summary.notRun).toBe(0);
  });

  it.each([
    ['429 to everything', { rate429: 1 }, /HTTP 429|429|rate limit/i],
    ['a body that is not JSON', { garbage: 1 }, /invalid or truncated response/],
    ['a JSON body cut off half-way', { truncated: 1 }, /invalid or truncated response/],
  ])('a server that answers %s opens the breaker: exit 3 with the cause, not a failed gate after every case', async (_name, faults, cause) => {
    const CASES = 30;
    const THRESHOLD = 3;
    const CONCURRENCY = 2;
    const s = await sim({ faults, retryAfterSeconds: 0 });
    const dir = project(s.url, CASES, { concurrency: CONCURRENCY, circuit_breaker: { consecutive_failures: THRESHOLD } });
    const r = await evalGen(dir);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/circuit breaker open/);
    expect(r.stderr).toMatch(cause);
    expect(r.stderr).not.toMatch(/hit a bug|gate failed/);
    // Stopped after the breaker's threshold (plus what other workers had in flight), each with its retries.
    expect(s.stats().chatCompletions).toBeLessThanOrEqual((THRESHOLD + CONCURRENCY - 1) * fast.retries.max_attempts);
  });

  it('a small suite whose every request fails, fewer than the breaker counts: exit 3, the run aborted (it counts for nothing), --resume sends it again', async () => {
    const CASES = 4;
    const s = await sim({ faults: { garbage: 1 } });
    const dir = project(s.url, CASES, { concurrency: 2 });
    const r = await evalGen(dir);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/the run stopped early: every request failed after its retries \(4 of 4\); last: .*invalid or truncated response/);
    expect(r.stderr).toMatch(/^hint: .*--resume/m);
    expect(r.stderr).not.toMatch(/hit a bug|gate failed/);
    const status = () => withRegistry(dir, (db) => db.prepare('SELECT status FROM runs').all() as { status: string }[]).map((x) => x.status);
    // An aborted run never counts: a server that served nothing withdraws no tested mark.
    expect(status()).toEqual(['aborted']);

    s.setFaults({});
    s.resetStats();
    const resumed = await evalGen(dir, ['--resume', '--json']);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.stderr).not.toMatch(/nothing|no unfinished run/);
    expect(s.stats().chatCompletions).toBe(CASES);
    expect(status()).toEqual(['finished']);
    // Nothing unfinished left: --resume says so and runs afresh.
    const again = await evalGen(dir, ['--resume']);
    expect(again.code, again.output).toBe(0);
    expect(again.stderr).toMatch(/^warning: --resume: no unfinished run of these suites, contents and model to resume; running them afresh$/m);
  });

  it('one replica down from the start: a warning names it, and every case is scored on the other', async () => {
    const CASES = 40;
    const dead = `http://127.0.0.1:${await closedPort()}/v1`;
    const live = await sim();
    const dir = project([dead, live.url], CASES, { concurrency: 8 });
    const r = await evalGen(dir, ['--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`warning: replica ${dead.replace(/[.]/g, '\\.')} is excluded from this run: .*refused`));
    const summary = parseJsonOutput(r).runs[0].run.summary;
    expect(summary).toMatchObject({ cases: CASES, errored: 0, notRun: 0 });
    expect(live.stats().outcomes.ok).toBe(CASES);
  });

  it('lint --server on a version pinned to a model the server does not serve: an error (exit 2) at its model.model, naming what the server serves', async () => {
    const live = await sim();
    const dir = makeSimProject(live.url);
    const file = 'prompts/support-answer/1.1.0.yaml';
    writeProjectFile(dir, file, readProjectFile(dir, file).replace(/^model:\n/m, 'model:\n  model: no-such-model\n'));
    const r = await runCliInProcess(['lint', '--server'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toMatch(/^prompts\/support-answer\/1\.1\.0\.yaml:\d+:\d+ error model\.model: the server does not serve "no-such-model", which eval and deploy would send requests to \(it serves sim-model\) \[model\/not-served\]$/m);
  });

  it('lint --server on a server without /tokenize says the budgets were estimated', async () => {
    const bare = await sim({ tokenize: false });
    const dir = makeSimProject(bare.url);
    const r = await runCliInProcess(['lint', '--server'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    for (const v of ['1.0.0', '1.1.0']) {
      expect(r.stdout).toMatch(new RegExp(`prompts/support-answer/${v.replace(/\./g, '\\.')}\\.yaml:\\d+:\\d+ warning token_budget: estimated, not counted: the server has no /tokenize`));
    }
    // A script's lint({ server: true }) is told in its own words.
    const library = await lint({ cwd: dir, env: {}, server: true });
    const estimated = library.outcome.problems.filter((p) => p.rule === 'budget/estimated');
    expect(estimated).toHaveLength(2);
    for (const p of estimated) expect(p.message).toBe("estimated, not counted: the server has no /tokenize (not vLLM, or behind a proxy that hides it), so server: true could not count this version's tokens");
    // --strict counts it: a CI gate asked for exact counts does not pass on a guess.
    const strict = await runCliInProcess(['lint', '--server', '--strict', '--json'], { cwd: dir });
    expect(strict.code, strict.output).toBe(2);
    expect(JSON.parse(strict.stdout).problems.filter((p: { rule: string }) => p.rule === 'budget/estimated')).toHaveLength(2);
  });

  it('lint --server with one replica down: a warning names it, and the token counts come from the other', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}/v1`;
    const live = await sim();
    const dir = makeSimProject(live.url, { base_url: [dead, live.url] });
    const r = await runCliInProcess(['lint', '--server'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`warning: replica ${dead.replace(/[.]/g, '\\.')} is excluded from this run`));
    expect(r.stderr).not.toMatch(/hit a bug/);
    expect(live.stats().requests['/tokenize']).toBeGreaterThan(0);
  });

  it('one replica that starts failing mid-run: its requests are retried on the other, none errors', async () => {
    const CASES = 80;
    const dying = await sim({ faults: { error500: 1 }, faultsAfter: 5 });
    // The healthy replica is the slower one, so by load alone every retry would go back to the dying one.
    const live = await sim({ latencyMs: 5 });
    const dir = project([dying.url, live.url], CASES, { concurrency: 8 });
    const r = await evalGen(dir, ['--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = parseJsonOutput(r).runs[0].run.summary;
    expect(summary).toMatchObject({ cases: CASES, errored: 0, notRun: 0 });
    expect(dying.stats().outcomes.error500).toBeGreaterThan(0); // it really died
    expect(dying.stats().outcomes.ok + live.stats().outcomes.ok).toBe(CASES);
  });

  it('server.api_key_env names a variable that is not set: the hint says to export it', async () => {
    const keyed = await sim({ apiKey: 'sk-e2e-key-123456' });
    const dir = project(keyed.url, 1);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'gen'], { cwd: dir, env: { VLLM_API_KEY: undefined } });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/VLLM_API_KEY.*not set/);
    expect(r.stderr).toMatch(/^hint: export VLLM_API_KEY=<your key>/m);
    expect(r.stderr).not.toMatch(/Set server\.api_key_env/);
    expect(r.output).not.toContain('sk-e2e-key-123456');
  });
});
