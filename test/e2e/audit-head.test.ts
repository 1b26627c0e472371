import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { eventCount, markTested, registryFingerprint, tamper } from '../support/registry-cli.js';

/**
 * A change to an environment is not appended onto an audit log whose newest event was edited by
 * hand: exit 3 with a pointer to `audit verify`, nothing written. Only the newest row is checked.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const WHO = ['--actor', 'release@example.com'];

describe('an edited newest audit event', () => {
  it.each([
    ['deploy', ['deploy', `${ID}@1.0.0`, '--env', 'development', ...WHO]],
    ['rollback', ['rollback', ID, '--env', 'staging', ...WHO]],
    ['promote', ['promote', ID, '--from', 'staging', '--to', 'development', ...WHO]],
  ])('%s is refused with exit 3 and the registry is unchanged', async (_name, args) => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    for (const v of ['1.0.0', '1.1.0']) expect((await runCliInProcess(['deploy', `${ID}@${v}`, '--env', 'staging', ...WHO], { cwd: dir })).code).toBe(0);
    // #1 and #2 are the tested marks; #4, the newest, is the second deploy.
    tamper(dir, (db) => db.prepare("UPDATE events SET actor = 'mallory@example.com' WHERE seq = 4").run());
    const before = registryFingerprint(dir);
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(3);
    // The append's refusal, or (a rollback, which verifies the record it goes back through first) the record's.
    expect(r.stderr).toMatch(/event #4 does not match its own hash/);
    expect(r.stderr).toContain('promptctl audit verify');
    expect(registryFingerprint(dir)).toBe(before);
    expect(eventCount(dir)).toBe(2);
  });

  it('an intact log is appended to as before', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    expect((await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'staging', ...WHO], { cwd: dir })).code).toBe(0);
    expect((await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development', ...WHO], { cwd: dir })).code).toBe(0);
    expect(eventCount(dir)).toBe(2);
  });
});
