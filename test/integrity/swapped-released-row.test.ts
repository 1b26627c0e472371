import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { markTested, registryFingerprint, tamper } from '../support/registry-cli.js';
import { SCRIPT_ENV as env, simulatorForFile } from '../support/simulator.js';

/**
 * A released version's registry row swapped by a database writer (1.1.0's row given 1.0.0's content
 * and hash), its file untouched. get and audit verify named the swap, but eval blamed the user's
 * file ("was edited after it was released", two identical hashes, exit 2, a `git checkout` that
 * changes nothing), and a deploy of another version judged its gates against the swapped row: in
 * production "1.1.0 has no finished run" (advising an eval that failed), in staging a pass. Both
 * now refuse (exit 3) naming the swapped row, as get does, and write nothing.
 */

const sim = simulatorForFile();
const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com', '--reason', 'r'];

/** 1.0.0 then 1.1.0 deployed to staging (#3, #4), then 1.1.0's row swapped for 1.0.0's. */
async function swappedRow(): Promise<string> {
  const dir = makeSimProject(sim.url, {}, 'promptctl-swapped-row-');
  markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
  for (const v of ['1.0.0', '1.1.0']) {
    const r = await runCliInProcess(['deploy', `${ID}@${v}`, '--env', 'staging', ...WHO], { cwd: dir, env });
    expect(r.code, r.output).toBe(0);
  }
  tamper(dir, (db) =>
    db
      .prepare("UPDATE prompt_versions SET (content, content_hash) = (SELECT content, content_hash FROM prompt_versions WHERE prompt_id = ? AND version = '1.0.0') WHERE prompt_id = ? AND version = '1.1.0'")
      .run(ID, ID),
  );
  return dir;
}

const swapped = /event #4 deployed support-answer@1\.1\.0 with content sha256:\w+…, but the registry now holds sha256:\w+…: the content was swapped$/m;
const blamesFile = /edited after it was released|git checkout|promptctl new|no finished run|would be deployed/;

describe("a released version's row swapped in the database, its file untouched", () => {
  it('eval of it exits 3 naming the swapped row, not an edit of the file', async () => {
    const dir = await swappedRow();
    const before = registryFingerprint(dir);
    const r = await runCliInProcess(['eval', `${ID}@1.1.0`, '--suite', 'golden'], { cwd: dir, env });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/^error: support-answer@1\.1\.0 cannot be used: /m);
    expect(r.stderr).toMatch(swapped);
    expect(r.output).not.toMatch(blamesFile);
    expect(registryFingerprint(dir)).toBe(before);
  });

  it('a deploy of another version there (and its dry run) exits 3: the gates never compare with the swapped row', async () => {
    const dir = await swappedRow();
    const before = registryFingerprint(dir);
    for (const extra of [['--dry-run'], []]) {
      const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHO, ...extra], { cwd: dir, env });
      expect(r.code, r.output).toBe(3);
      expect(r.stderr).toMatch(/^error: the gates cannot compare with support-answer@1\.1\.0, active in staging: /m);
      expect(r.stderr).toMatch(swapped);
      expect(r.output).not.toMatch(blamesFile);
    }
    expect(registryFingerprint(dir)).toBe(before);
  });
});
