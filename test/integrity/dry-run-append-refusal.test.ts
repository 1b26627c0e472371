import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { computeEventHash } from '../../src/core/audit-chain.js';
import { toEvent, type EventRow } from '../../src/infra/registry/sqlite-rows.js';
import { readChain, tamper } from '../support/registry-cli.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/**
 * The append refuses to chain onto a newest event edited after it was written (exit 3). A dry run
 * of a change that would append (deploy, promote, rollback) says the same, instead of "would be
 * deployed" with exit 0 for a change that then fails.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com', '--reason', 'r'];
const cli = (dir: string, args: string[]) => runCliInProcess(args, { cwd: dir });

/** The same log with its newest event replaced instead: another version, its own hash recomputed, the chain head left alone. */
async function replacedNewest(): Promise<string> {
  const dir = await editedNewest();
  tamper(dir, (db) => {
    const row = db.prepare('SELECT * FROM events WHERE seq = 4').get() as EventRow;
    const forged = { ...row, reason: 'r', version: '1.1.0' };
    db.prepare('UPDATE events SET reason = ?, version = ?, hash = ? WHERE seq = 4').run(forged.reason, forged.version, computeEventHash(toEvent(forged)));
  });
  return dir;
}

/** An environment after production whose deploy is the newest event: the one edited. */
const CONFIG = `${UNGATED_CONFIG}  - name: canary
    gates: { requires_tested: false, requires_previous_env: false, min_adversarial_pass_rate: null }
`;

/** 1.0.0 then 1.1.0 in staging, 1.0.0 in production, 1.0.0 in canary: that last (newest) event's reason edited by hand. */
async function editedNewest(): Promise<string> {
  const dir = makeProject();
  writeProjectFile(dir, '.promptrc.yaml', CONFIG);
  for (const [v, env] of [['1.0.0', 'staging'], ['1.1.0', 'staging'], ['1.0.0', 'production'], ['1.0.0', 'canary']] as const) {
    const r = await cli(dir, ['deploy', `${ID}@${v}`, '--env', env, ...WHO]);
    expect(r.code, r.output).toBe(0);
  }
  tamper(dir, (db) => db.prepare("UPDATE events SET reason = 'edited' WHERE seq = (SELECT max(seq) FROM events)").run());
  return dir;
}

const changes: Array<[string, string[]]> = [
  ['a deploy to an environment the edited event is not in', ['deploy', `${ID}@1.1.0`, '--env', 'production', ...WHO]],
  ['a rollback', ['rollback', ID, '--env', 'staging', ...WHO]],
  ['a promote', ['promote', ID, '--from', 'staging', '--to', 'production', ...WHO]],
];

describe('a dry run on a log whose newest event was edited', () => {
  it.each(changes)('%s: the dry run refuses as the change does (exit 3), nothing written', async (_, args) => {
    const dir = await editedNewest();
    const before = readChain(dir).length;
    const real = await cli(dir, args);
    expect(real.code, real.output).toBe(3);
    expect(real.stderr).toMatch(/^error: the audit log cannot be appended to: its newest event #4 does not match its own hash$/m);
    const dry = await cli(dir, [...args, '--dry-run']);
    expect(dry.code, dry.output).toBe(3);
    expect(dry.stderr).toBe(real.stderr);
    expect(dry.stdout).not.toMatch(/would be/);
    expect(readChain(dir).length).toBe(before);
  });

  it('a dry run with nothing to append says what the change says', async () => {
    const dir = await editedNewest();
    const dry = await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO, '--dry-run']);
    // 1.1.0 is already active in staging: nothing to do, nothing appended, exit 0 both ways.
    expect(dry.code, dry.output).toBe(0);
    expect((await cli(dir, ['deploy', `${ID}@1.1.0`, '--env', 'staging', ...WHO])).code).toBe(0);
  });
});

describe('a log whose newest event was replaced, its own hash recomputed', () => {
  it('a deploy and its dry run refuse (exit 3) instead of chaining onto it, nothing written', async () => {
    const dir = await replacedNewest();
    const before = readChain(dir);
    const args = ['deploy', `${ID}@1.1.0`, '--env', 'production', ...WHO];
    const dry = await cli(dir, [...args, '--dry-run']);
    expect(dry.code, dry.output).toBe(3);
    expect(dry.stderr).toMatch(/^error: the audit log cannot be appended to: its newest event #4 differs from the one the chain head recorded$/m);
    const real = await cli(dir, args);
    expect(real.code, real.output).toBe(3);
    expect(real.stderr).toBe(dry.stderr);
    expect(readChain(dir)).toEqual(before);
  });
});
