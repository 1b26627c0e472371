import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { dumpRegistry, makeSimProject, makeTempDir } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The API key comes from the variable the config names (api_key_env: VLLM_API_KEY) and is never
 * printed or stored: not in stdout or stderr, the JUnit or Markdown files, $GITHUB_STEP_SUMMARY,
 * any other file the run leaves behind, or any registry row. A wrong key's 401 does not echo it.
 */

const KEY = 'sk-test-SECRET-7f3a9c';
const WRONG = 'sk-wrong-KEY-0000aa9';
const sim = simulatorForFile({ apiKey: KEY });
let dir: string;

beforeAll(async () => {
  dir = makeSimProject(sim.url);
});

/** Every file under `root` (registry, WAL, reports), as raw bytes. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const abs = path.join(root, name);
    if (statSync(abs).isDirectory()) out.push(...filesUnder(abs));
    else out.push(abs);
  }
  return out;
}

function expectNoSecret(text: string, secret: string, where: string): void {
  expect(text.includes(secret), `${where} contains the API key`).toBe(false);
}

describe('the API key is never printed or stored', () => {
  it('a run with the right key leaves no trace of it anywhere', async () => {
    const out = makeTempDir('promptctl-e2e-out-');
    const stepSummary = path.join(out, 'step-summary.md');
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', 'support-answer@1.0.0', '--json', '--junit', 'reports/junit.xml', '--summary', 'reports/summary.md'], {
      cwd: dir,
      env: { VLLM_API_KEY: KEY, GITHUB_STEP_SUMMARY: stepSummary },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(parseJsonOutput(r).versions.every((v: any) => v.tested)).toBe(true);
    // The key really was needed and sent.
    expect(sim.stats().outcomes.ok).toBeGreaterThan(0);
    expect(sim.stats().outcomes.rejected).toBe(0);

    expectNoSecret(r.stdout, KEY, 'stdout');
    expectNoSecret(r.stderr, KEY, 'stderr');
    // A text-mode run too (final table, plain progress).
    const t = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir, env: { VLLM_API_KEY: KEY } });
    expect(t.code, t.stderr).toBe(0);
    expectNoSecret(t.output, KEY, 'text output');
    // Other commands that read the registry.
    for (const args of [['status'], ['history'], ['show', 'support-answer@1.1.0', '--json'], ['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--json']]) {
      const x = await runCliInProcess(args, { cwd: dir, env: { VLLM_API_KEY: KEY } });
      expect(x.code, `${args.join(' ')}: ${x.stderr}`).toBe(0);
      expectNoSecret(x.output, KEY, `promptctl ${args.join(' ')}`);
    }

    const files = [...filesUnder(dir), ...filesUnder(out)];
    expect(files.map((f) => path.relative(dir, f))).toEqual(expect.arrayContaining(['reports/junit.xml', 'reports/summary.md', path.join('.promptctl', 'registry.db')]));
    expect(readFileSync(stepSummary, 'utf8').length).toBeGreaterThan(0);
    for (const f of files) {
      // Raw bytes as latin1 keep an ASCII key findable in binary files (the SQLite database and its WAL).
      expectNoSecret(readFileSync(f).toString('latin1'), KEY, f);
    }
    const dump = dumpRegistry(dir);
    expect(dump).toMatch(/^samples: /m);
    expect(dump).toMatch(/^events: .*"tested"/m);
    expectNoSecret(dump, KEY, 'the registry');
  });

  it('a wrong key gets a clear 401 message that does not echo the key', async () => {
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--no-cache'], { cwd: dir, env: { VLLM_API_KEY: WRONG } });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/401|Unauthorized/);
    expect(r.stderr).toMatch(/api_key_env/);
    expectNoSecret(r.output, WRONG, 'output');
    expectNoSecret(r.output, KEY, 'output');

    const j = await runCliInProcess(['eval', 'support-answer@1.1.0', '--no-cache', '--json'], { cwd: dir, env: { VLLM_API_KEY: WRONG } });
    expect(j.code).toBe(3);
    expectNoSecret(j.output, WRONG, 'JSON output');
    for (const f of filesUnder(dir)) expectNoSecret(readFileSync(f).toString('latin1'), WRONG, f);
    expectNoSecret(dumpRegistry(dir), WRONG, 'the registry');
  });

  it('no key at all is refused with a hint naming the config field', async () => {
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--no-cache'], { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/401|Unauthorized/);
    expect(r.stderr).toMatch(/none was sent/);
  });
});
