import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { closedPort, dumpRegistry, makeSimProject, patchServerConfig, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorsForFile } from '../support/simulator.js';

/**
 * `eval --no-cache` checks the server while the versions settle (its answer awaited afterwards):
 * what a refusal or an unreachable server ends with must be what it was when the check came last.
 */

const sims = simulatorsForFile();

const ID = 'support-answer';
const VERSION_FILE = `prompts/${ID}/1.0.0.yaml`;

describe('eval --no-cache: the server check and the versions', () => {
  it('a released version that was edited is refused (exit 2) even when the server is down, and nothing is recorded', async () => {
    const dir = makeSimProject(sims[0]!.url);
    expect((await runCliInProcess(['eval', `${ID}@1.0.0`, '--no-cache'], { cwd: dir })).code).toBe(0);
    expect((await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development', '--actor', 't'], { cwd: dir })).code).toBe(0);
    writeProjectFile(dir, VERSION_FILE, readProjectFile(dir, VERSION_FILE).replace(/description: .*/, 'description: edited after release'));
    patchServerConfig(dir, { base_url: `http://127.0.0.1:${await closedPort()}/v1` });
    const before = dumpRegistry(dir);
    const r = await runCliInProcess(['eval', `${ID}@1.0.0`, '--no-cache'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(/support-answer@1\.0\.0 was edited after it was released/);
    expect(dumpRegistry(dir)).toBe(before);
  });

  it('a server that is down stops the eval with exit 3 before any sample is sent or recorded', async () => {
    const dir = makeSimProject(`http://127.0.0.1:${await closedPort()}/v1`);
    const r = await runCliInProcess(['eval', `${ID}@1.0.0`, '--no-cache'], { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.output).toMatch(/Cannot reach the vLLM server/);
    const recorded = dumpRegistry(dir).split('\n');
    expect(recorded.filter((l) => l.startsWith('samples: ') || l.startsWith('runs: '))).toEqual([]);
    // What the check ran alongside was kept: the draft's content is registered, as before.
    expect(recorded.filter((l) => l.startsWith('prompt_versions: '))).toHaveLength(1);
  });

  it('with the server up, every sample is sent once and the run recorded', async () => {
    const dir = makeSimProject(sims[0]!.url);
    const sim = sims[0]!;
    sim.resetStats();
    const r = await runCliInProcess(['eval', `${ID}@1.0.0`, '--suite', 'golden', '--no-cache'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(sim.stats().chatCompletions).toBeGreaterThan(0);
    expect(sim.stats().outcomes.ok).toBe(sim.stats().chatCompletions);
  });
});
