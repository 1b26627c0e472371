import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeployments } from '../../src/core/deployment-stack.js';
import type { AuditEvent } from '../../src/infra/registry/types.js';
import { CLI_PATH, REPO_ROOT, runCli, runCliAsync, runCliInProcess, spawnCli, type SpawnedCli } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';
import { markTested, projectRegistryPath, readChain } from '../support/registry-cli.js';

/**
 * Crash safety of deploy: a deploy process killed with SIGKILL at any moment leaves the registry
 * as it was, or with exactly the one new event, never anything in between. After every kill the
 * chain verifies and `status` agrees with the log.
 *
 * Two kinds of kills:
 * - deterministic: a preload hook (NODE_OPTIONS=--require) instruments better-sqlite3 in the
 *   child (its transaction functions, and the BEGIN IMMEDIATE / COMMIT statements of a transaction
 *   held open across awaits) and stops it at a known point: waiting for the write lock (held by this test), inside the
 *   write transaction after the event and chain head rows were written but before COMMIT, and just
 *   after COMMIT. Each point has one exact expected outcome.
 * - random: kills after a random delay (or at the first output). The test does not know where
 *   the child was, and it does not need to: the invariant holds whatever the timing.
 */

const ID = 'support-answer';
const ENV = 'staging';
const VERSIONS = ['1.0.0', '1.1.0'] as const;

let dir: string;
let hook: string;

// Runs in the child before promptctl. better-sqlite3 is CommonJS, so the ESM import in dist/
// gets the same module instance this hook patches (both resolve to the same file).
const HOOK = `
const { writeSync } = require('node:fs');
const Database = require(${JSON.stringify(path.join(REPO_ROOT, 'node_modules', 'better-sqlite3'))});
const point = process.env.PROMPTCTL_TEST_CRASH_AT;
const say = (label) => writeSync(2, 'CRASHPOINT ' + label + '\\n');
const hang = (label) => {
  say(label);
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
};
let appended = false;
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  const stmt = prepare.call(this, sql);
  if (/^\\s*(INSERT INTO|UPDATE) chain_head/i.test(sql)) {
    const run = stmt.run;
    stmt.run = function (...args) {
      const result = run.apply(this, args);
      appended = true;
      if (point === 'in-transaction') hang('in-transaction');
      return result;
    };
  }
  return stmt;
};
const transaction = Database.prototype.transaction;
Database.prototype.transaction = function (fn) {
  const db = this;
  const t = transaction.call(this, fn);
  const wrap = (f, mode) =>
    function (...args) {
      if (mode === 'immediate' && point === 'waiting-for-lock' && !db.inTransaction) say('waiting-for-lock');
      const result = f.apply(this, args);
      if (appended && !db.inTransaction && point === 'after-commit') hang('after-commit');
      return result;
    };
  const wrapped = wrap(t, 'default');
  for (const mode of ['deferred', 'immediate', 'exclusive']) wrapped[mode] = wrap(t[mode], mode);
  wrapped.default = wrapped;
  return wrapped;
};
// A transaction held open across awaits (Registry.transaction) is BEGIN IMMEDIATE ... COMMIT statements.
const exec = Database.prototype.exec;
Database.prototype.exec = function (sql) {
  if (/^\\s*BEGIN IMMEDIATE/i.test(sql) && point === 'waiting-for-lock' && !this.inTransaction) say('waiting-for-lock');
  const result = exec.call(this, sql);
  if (/^\\s*COMMIT/i.test(sql) && appended && !this.inTransaction && point === 'after-commit') hang('after-commit');
  return result;
};
`;

beforeAll(() => {
  dir = makeProject({ prefix: 'promptctl-crash-' });
  markTested(dir, ...VERSIONS.map((v) => `${ID}@${v}`));
  const r = runCli(['deploy', `${ID}@1.0.0`, '--env', ENV, '--actor', 'seed'], { cwd: dir });
  expect(r.code, r.output).toBe(0);
  hook = path.join(makeTempDir('promptctl-crash-hook-'), 'crash-hook.cjs');
  writeFileSync(hook, HOOK);
});
afterAll(() => cleanupTempDirs());

function activeOf(events: AuditEvent[]): string {
  return replayDeployments(events.filter((e) => e.promptId === ID && e.env === ENV)).active!;
}

/** The version that a deploy would change to: never the active one, so a success always appends. */
function nextTarget(events: AuditEvent[]): string {
  return activeOf(events) === VERSIONS[0] ? VERSIONS[1] : VERSIONS[0];
}

function startDeploy(version: string, label: string, crashAt?: string): SpawnedCli {
  return spawnCli(['deploy', `${ID}@${version}`, '--env', ENV, '--actor', `crash-${label}`], {
    cwd: dir,
    env: crashAt ? { NODE_OPTIONS: `--require ${hook}`, PROMPTCTL_TEST_CRASH_AT: crashAt } : undefined,
  });
}

/** Resolves when the child prints `text` on stdout or stderr (or exits first). */
function waitFor(run: SpawnedCli, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const check = (chunk: Buffer | string) => {
      seen += String(chunk);
      if (seen.includes(text)) resolve();
    };
    run.child.stdout!.on('data', check);
    run.child.stderr!.on('data', check);
    void run.done.then(() => resolve());
  });
}

/**
 * The invariant after a kill: the old events untouched, plus nothing or exactly the deploy of
 * `target`; the chain verifies; status shows the version of the last event. Returns the change.
 */
async function checkInvariant(before: AuditEvent[], target: string, where: string): Promise<0 | 1> {
  const events = readChain(dir);
  const added = events.length - before.length;
  expect([0, 1], `${where}: ${added} events added`).toContain(added);
  expect(events.slice(0, before.length), where).toEqual(before);
  if (added === 1) {
    expect(events.at(-1), where).toMatchObject({ seq: before.length + 1, action: 'deploy', version: target, previousVersion: activeOf(before) });
  }
  // In this process: what is under test is the killed child; the checks read what it left.
  const verify = await runCliInProcess(['audit', 'verify'], { cwd: dir });
  const status = await runCliInProcess(['status', '--env', ENV, '--json'], { cwd: dir });
  expect(verify.code, `${where}: ${verify.output}`).toBe(0);
  expect(verify.stdout, where).toContain(`${events.length} event`);
  expect(status.code, `${where}: ${status.output}`).toBe(0);
  const row = JSON.parse(status.stdout).rows.find((r: any) => r.promptId === ID);
  const last = events.at(-1)!;
  expect(row, where).toMatchObject({ version: last.version, deployedAt: last.at, deployedBy: last.actor });
  expect(row.version, where).toBe(activeOf(events));
  return added as 0 | 1;
}

describe('a deploy killed with SIGKILL', () => {
  it('while waiting for the write lock: nothing is recorded', async () => {
    const before = readChain(dir);
    const target = nextTarget(before);
    const holder = new Database(projectRegistryPath(dir));
    holder.pragma('busy_timeout = 10000');
    holder.exec('BEGIN IMMEDIATE');
    try {
      const run = startDeploy(target, 'lock', 'waiting-for-lock');
      await waitFor(run, 'CRASHPOINT waiting-for-lock');
      run.child.kill('SIGKILL');
      const r = await run.done;
      expect(r.signal, r.output).toBe('SIGKILL');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(await checkInvariant(before, target, 'waiting-for-lock')).toBe(0);
  });

  it('inside the transaction, after the event was written but before COMMIT: nothing is recorded', async () => {
    const before = readChain(dir);
    const target = nextTarget(before);
    const run = startDeploy(target, 'in-tx', 'in-transaction');
    await waitFor(run, 'CRASHPOINT in-transaction');
    run.child.kill('SIGKILL');
    const r = await run.done;
    expect(r.signal, r.output).toBe('SIGKILL');
    expect(await checkInvariant(before, target, 'in-transaction')).toBe(0);

    // The next deploy is neither blocked nor confused by the rolled-back write.
    const next = await runCliAsync(['deploy', `${ID}@${target}`, '--env', ENV, '--actor', 'after-crash'], { cwd: dir });
    expect(next.code, next.output).toBe(0);
    expect(next.stdout).toContain(`event #${before.length + 1}`);
    expect(await checkInvariant(before, target, 'after in-transaction')).toBe(1);
  });

  it('just after COMMIT, before it printed anything: the event is recorded once', async () => {
    const before = readChain(dir);
    const target = nextTarget(before);
    const run = startDeploy(target, 'after-commit', 'after-commit');
    await waitFor(run, 'CRASHPOINT after-commit');
    run.child.kill('SIGKILL');
    const r = await run.done;
    expect(r.signal, r.output).toBe('SIGKILL');
    expect(r.stdout).toBe('');
    expect(await checkInvariant(before, target, 'after-commit')).toBe(1);
  });

  it('at random moments: the registry has the old state or exactly one more event', { timeout: 180_000 }, async () => {
    const ITERATIONS = 15;
    const outcomes: string[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const before = readChain(dir);
      const target = nextTarget(before);
      const run = startDeploy(target, `random-${i}`);
      let when: string;
      if (i === 0) {
        when = 'at once';
        run.child.kill('SIGKILL');
      } else if (i % 5 === 4) {
        when = 'at the first output';
        await new Promise<void>((resolve) => {
          const kill = () => {
            run.child.kill('SIGKILL');
            resolve();
          };
          run.child.stdout!.once('data', kill);
          run.child.stderr!.once('data', kill);
          void run.done.then(() => resolve());
        });
      } else {
        const delay = Math.floor(Math.random() * 500);
        when = `after ${delay} ms`;
        await new Promise((resolve) => setTimeout(resolve, delay));
        run.child.kill('SIGKILL');
      }
      const r = await run.done;
      const where = `iteration ${i}, killed ${when} (exit ${r.code}, signal ${r.signal})\n${r.output}`;
      // Either it died by the kill, or it had finished first (then it succeeded).
      if (r.signal === null) expect(r.code, where).toBe(0);
      else expect(r.signal, where).toBe('SIGKILL');
      expect(r.output, where).not.toMatch(/SQLITE_|database is locked|promptctl hit a bug/);
      const added = await checkInvariant(before, target, where);
      if (r.code === 0) expect(added, where).toBe(1);
      outcomes.push(`${when}: ${r.signal ?? `exit ${r.code}`}, +${added}`);
    }
    expect(outcomes).toHaveLength(ITERATIONS);

    // Afterwards the registry works as usual.
    const events = readChain(dir);
    const target = nextTarget(events);
    const final = await runCliAsync(['deploy', `${ID}@${target}`, '--env', ENV, '--actor', 'final'], { cwd: dir });
    expect(final.code, final.output).toBe(0);
    expect(await checkInvariant(events, target, 'final deploy')).toBe(1);
  });
});

describe('stdout redirected to a full disk', () => {
  it('`status --json > /dev/full` is exit 3 saying the output could not be written, not a stack trace', () => {
    const project = makeProject();
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI_PATH, 'status', '--json'], { cwd: project, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^error: cannot write the output \(stdout\): ENOSPC/m);
      expect(r.stderr).not.toMatch(/at writeSync|hit a bug/);
    } finally {
      closeSync(full);
    }
  });
});
