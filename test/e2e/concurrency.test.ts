import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeployments } from '../../src/core/deployment-stack.js';
import { planRollback } from '../../src/core/rollback.js';
import type { AuditEvent } from '../../src/infra/registry/types.js';
import { runCliInProcess, type RunResult, spawnCli } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { markTested, readChain, readEvents } from '../support/registry-cli.js';

/**
 * Eight promptctl processes change the same environment at once: four deploy (alternating
 * versions), four roll back. Whatever the interleaving, every command that succeeded is in the log
 * exactly once, each event was decided on the state left by the one before it (read-decide-write
 * is one transaction), the chain verifies, status agrees with the log, and no lock error escapes.
 */

const ID = 'support-answer';
const ENV = 'staging';
const VERSIONS = ['1.0.0', '1.1.0', '1.2.0'];
const WORKERS = 4; // of each kind
// Two each: eight processes still race from the same tick (the SQLite issue asks at least eight), and
// the second command of each meets whatever the first wave left; more rounds only cost spawns (0.3 s of CPU each).
const COMMANDS_PER_WORKER = 2;

let dir: string;

// Set-up and the final checks run in this process; only the racing commands are spawned.
beforeAll(async () => {
  dir = makeProject({ prefix: 'promptctl-concurrency-' });
  const created = await runCliInProcess(['new', ID, '--minor'], { cwd: dir });
  expect(created.code, created.output).toBe(0);
  markTested(dir, ...VERSIONS.map((v) => `${ID}@${v}`));
  // A stack to roll back through before the race starts.
  for (const v of VERSIONS) {
    const r = await runCliInProcess(['deploy', `${ID}@${v}`, '--env', ENV, '--actor', 'seed'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
  }
});
afterAll(() => cleanupTempDirs());

interface Outcome {
  kind: 'deploy' | 'rollback';
  args: string[];
  actor: string;
  version?: string;
  result: RunResult;
}

async function worker(kind: 'deploy' | 'rollback', n: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const actor = `${kind}-${n}@example.com`;
  for (let k = 0; k < COMMANDS_PER_WORKER; k++) {
    const version = VERSIONS[(n + k) % VERSIONS.length]!;
    const args =
      kind === 'deploy'
        ? ['deploy', `${ID}@${version}`, '--env', ENV, '--actor', actor, '--json']
        : ['rollback', ID, '--env', ENV, '--actor', actor, '--reason', `race ${n}.${k}`, '--json'];
    const result = await spawnCli(args, { cwd: dir, timeoutMs: 120_000 }).done;
    outcomes.push({ kind, args, actor, version: kind === 'deploy' ? version : undefined, result });
  }
  return outcomes;
}

describe('concurrent deploys and rollbacks of one environment', () => {
  it('records every successful change exactly once, in a consistent order', { timeout: 240_000 }, async () => {
    const before = readEvents(dir).length;
    expect(before).toBe(3);

    // All eight workers start in the same tick; each runs its commands one after another.
    const all = (
      await Promise.all([
        ...Array.from({ length: WORKERS }, (_, n) => worker('deploy', n)),
        ...Array.from({ length: WORKERS }, (_, n) => worker('rollback', n)),
      ])
    ).flat();
    expect(all).toHaveLength(2 * WORKERS * COMMANDS_PER_WORKER);

    const appended = new Map<number, Outcome>();
    for (const o of all) {
      const where = `promptctl ${o.args.join(' ')} (exit ${o.result.code}, signal ${o.result.signal})\n${o.result.output}`;
      expect(o.result.output, where).not.toMatch(/SQLITE_BUSY|database is locked|stayed locked|SQLITE_/);
      expect([0, 1], where).toContain(o.result.code);
      const data = JSON.parse(o.result.stdout);
      if (o.kind === 'deploy') {
        // Staging's gates pass for these tested versions, so a deploy never fails.
        expect(o.result.code, where).toBe(0);
        expect(data).toMatchObject({ allowed: true, version: o.version, env: ENV });
        if (data.event) {
          expect(data.event).toMatchObject({ action: 'deploy', version: o.version, actor: o.actor });
          expect(appended.has(data.event.seq), where).toBe(false);
          appended.set(data.event.seq, o);
        } else {
          // Nothing appended: the version was already active when this process decided.
          expect(data.previousVersion, where).toBe(o.version);
        }
      } else if (o.result.code === 0) {
        expect(data.event).toMatchObject({ action: 'rollback', actor: o.actor, version: data.to, previousVersion: data.from });
        expect(appended.has(data.event.seq), where).toBe(false);
        appended.set(data.event.seq, o);
      } else {
        // A refused rollback: the stack was down to one version at that moment.
        expect(data).toMatchObject({ error: 'GateFailed', exitCode: 1 });
        expect(data.reasons.join('\n'), where).toMatch(/nothing to roll back to/);
      }
    }

    const events = readEvents(dir);
    const chain = readChain(dir);
    // Exactly the successful appending commands, once each; the chain (tested marks first) has no gaps.
    expect(events.length).toBe(before + appended.size);
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: chain.length }, (_, i) => i + 1));
    for (const e of events.slice(before)) {
      const o = appended.get(e.seq);
      expect(o, `event #${e.seq} has no command that reported it`).toBeDefined();
      expect(e.actor).toBe(o!.actor);
      expect(e.action).toBe(o!.kind);
    }
    // Some change is certain whatever the interleaving: 1.2.0 is active at the start, so if nothing
    // else appended, the first deploy of 1.0.0 would. (In practice about 20-30 of the 32 append.)
    expect(appended.size).toBeGreaterThan(0);

    // Serializable: each event was decided on the state all earlier events produced.
    const seen: AuditEvent[] = [];
    for (const e of events) {
      const state = replayDeployments(seen);
      expect(e.previousVersion, `event #${e.seq}`).toBe(state.active);
      if (e.action === 'rollback') {
        const plan = planRollback(seen);
        expect(plan.ok && plan.to, `event #${e.seq}`).toBe(e.version);
      }
      else expect(e.version, `event #${e.seq}`).not.toBe(state.active);
      seen.push(e);
    }

    const verify = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(verify.code, verify.output).toBe(0);
    expect(verify.stdout).toContain(`${chain.length} events, hash chain intact`);

    const status = await runCliInProcess(['status', '--env', ENV, '--json'], { cwd: dir });
    expect(status.code, status.output).toBe(0);
    const row = JSON.parse(status.stdout).rows.find((r: any) => r.promptId === ID);
    const last = events.at(-1)!;
    expect(row).toMatchObject({ version: last.version, deployedAt: last.at, deployedBy: last.actor, action: last.action });
    expect(row.version).toBe(replayDeployments(events).active);
  });
});
