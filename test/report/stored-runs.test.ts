import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { startSimulator } from '../../src/sim/server.js';
import { makeWorseProject } from '../browser/support.js';
import { runCliInProcess } from '../support/cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `compare` and `report <a> <b>` read stored runs: with everything stored they contact no server
 * and write nothing; `compare` evaluates only what lacks a run on the current suite content;
 * `report` never evaluates (exit 2 naming the eval to run).
 */

const sim = simulatorForFile();
let dir: string;
const db = () => path.join(dir, '.promptctl/registry.db');

/** The registry's bytes (and its WAL's, when there is one): a read leaves both as they were. */
function registryBytes(): string {
  const wal = `${db()}-wal`;
  return readFileSync(db()).toString('base64') + '|' + (existsSync(wal) ? readFileSync(wal).toString('base64') : '');
}

async function runRows(): Promise<Array<{ id: string; version: string; suite: string }>> {
  const registry = openSqliteRegistry({ path: db(), readonly: true });
  try {
    return (await registry.listRuns({})).map((r) => ({ id: r.id, version: r.version, suite: r.suite }));
  } finally {
    await registry.close();
  }
}

const served = () => Object.values(sim.stats().requests).reduce((n, x) => n + x, 0);

beforeAll(async () => {
  dir = makeWorseProject(sim.url);
  const r = await runCliInProcess(['eval', 'support-answer@1.1.0', 'support-answer@1.2.0'], { cwd: dir });
  expect(r.code, r.stdout + r.stderr).toBe(1); // 1.2.0 fails
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('compare from stored runs', () => {
  it('with every run stored: no request, no new run, the registry unchanged', async () => {
    const before = await runRows();
    const bytes = registryBytes();
    sim.resetStats();
    const r = await runCliInProcess(['compare', 'support-answer@1.1.0', 'support-answer@1.2.0', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(served()).toBe(0);
    expect(await runRows()).toEqual(before);
    expect(registryBytes()).toBe(bytes);
    const data = JSON.parse(r.stdout);
    expect(data.runs.every((x: { evaluated: boolean }) => !x.evaluated)).toBe(true);
    // The runs shown are the stored ones, and the worse version's regressions come first.
    expect(new Set(data.runs.map((x: { runId: string }) => x.runId))).toEqual(new Set(before.map((x) => x.id)));
    expect(data.rows[0].change).toBe('regression');
  });

  it('works with the server down', async () => {
    const rc = path.join(dir, '.promptrc.yaml');
    const config = readFileSync(rc, 'utf8');
    const dead = await startSimulator();
    await dead.close(); // a port nobody listens on
    writeFileSync(rc, config.replace(/base_url: .*/, `base_url: ${dead.url}`));
    try {
      const count = (await runRows()).length;
      const r = await runCliInProcess(['compare', 'support-answer@1.1.0', 'support-answer@1.2.0', '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).rows.length).toBeGreaterThan(4);
      expect((await runRows()).length).toBe(count);
    } finally {
      writeFileSync(rc, config);
    }
  });

  it('evaluates only the suites whose current content has no run, once', async () => {
    // Raising the golden threshold changes the suite's content: its stored runs no longer count.
    const golden = path.join(dir, 'evalsets/support-answer/golden.yaml');
    writeFileSync(golden, readFileSync(golden, 'utf8').replace('threshold: 0.75', 'threshold: 0.5'));
    const before = await runRows();
    const bytes = registryBytes();

    const refused = await runCliInProcess(['compare', 'support-answer@1.1.0', 'support-answer@1.2.0', '--no-eval'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('support-answer@1.1.0 (golden)');
    expect(refused.stderr).toContain('promptctl eval support-answer@1.1.0 --suite golden');
    expect(registryBytes()).toBe(bytes);

    sim.resetStats();
    const r = await runCliInProcess(['compare', 'support-answer@1.1.0', 'support-answer@1.2.0', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const added = (await runRows()).filter((x) => !before.some((y) => y.id === x.id));
    expect(added.map((x) => `${x.version}/${x.suite}`).sort()).toEqual(['1.1.0/golden', '1.2.0/golden']);
    expect(sim.stats().chatCompletions).toBe(0); // the answers were cached
    const data = JSON.parse(r.stdout);
    expect(data.runs.filter((x: { evaluated: boolean }) => x.evaluated).map((x: { suite: string }) => x.suite)).toEqual(['golden', 'golden']);

    const again = (await runRows()).length;
    const second = await runCliInProcess(['compare', 'support-answer@1.1.0', 'support-answer@1.2.0', '--json'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect((await runRows()).length).toBe(again);
  });
});

describe('report <a> <b> is read-only', () => {
  it('a missing run is exit 2 naming the eval to run; nothing is sent or written', async () => {
    const bytes = registryBytes();
    const count = (await runRows()).length;
    sim.resetStats();
    const r = await runCliInProcess(['report', 'support-answer@1.0.0', 'support-answer@1.1.0', '-o', 'missing.html'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('support-answer@1.0.0 (adversarial, golden)');
    expect(r.stderr).toContain('promptctl eval support-answer@1.0.0');
    expect(r.stderr).not.toContain('support-answer@1.1.0 (');
    expect(r.stderr).not.toMatch(/^eval /m);
    expect(served()).toBe(0);
    expect((await runRows()).length).toBe(count);
    expect(registryBytes()).toBe(bytes);
    expect(existsSync(path.join(dir, 'missing.html'))).toBe(false);
  });

  it('with both versions stored: the report is written and the registry is byte-identical', async () => {
    const bytes = registryBytes();
    sim.resetStats();
    const r = await runCliInProcess(['report', 'support-answer@1.1.0', 'support-answer@1.2.0', '-o', 'cmp.html', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe('compare');
    expect(served()).toBe(0);
    expect(registryBytes()).toBe(bytes);
  });
});

describe('the version chart and versions the checkout does not have', () => {
  it('marks a version recorded in the registry but gone from the working tree', async () => {
    // 1.3.0 is evaluated, then its file leaves the working tree (as when switching branches).
    const prompts = path.join(dir, 'prompts/support-answer');
    writeFileSync(path.join(prompts, '1.3.0.yaml'), readFileSync(path.join(prompts, '1.1.0.yaml'), 'utf8').replace('version: 1.1.0', 'version: 1.3.0'));
    const e = await runCliInProcess(['eval', 'support-answer@1.3.0', '--suite', 'golden'], { cwd: dir });
    expect(e.code, e.stdout + e.stderr).toBe(0);
    rmSync(path.join(prompts, '1.3.0.yaml'));
    const r = await runCliInProcess(['report', 'support-answer@1.1.0', 'support-answer@1.2.0', '-o', 'chart.html'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'chart.html'), 'utf8');
    const data = JSON.parse(html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!);
    const golden = data.history.find((s: { suite: string }) => s.suite === 'golden');
    const marks = Object.fromEntries(golden.points.map((p: { version: string; inProject?: boolean }) => [p.version, p.inProject ?? true]));
    expect(marks).toEqual({ '1.1.0': true, '1.2.0': true, '1.3.0': false });
    expect(html).toContain('not in this checkout (1.3.0)');
  });
});
