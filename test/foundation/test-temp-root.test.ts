import { mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { chooseTempRoot, MIN_FREE_BYTES, useFastTempRoot } from '../support/test-temp-root.js';

const TMPFS = 0x01021994;
const EXT4 = 0xef53;

describe('chooseTempRoot: where a test run keeps its throwaway files', () => {
  test.each([
    { why: 'a tmpfs with room', tmpdir: undefined, shm: { type: TMPFS, freeBytes: MIN_FREE_BYTES }, want: '/dev/shm/promptctl-tests' },
    { why: 'a TMPDIR the user chose is kept', tmpdir: '/scratch', shm: { type: TMPFS, freeBytes: MIN_FREE_BYTES * 4 }, want: undefined },
    { why: 'a tmpfs one byte short of room (a container default of 64 MB, say)', tmpdir: undefined, shm: { type: TMPFS, freeBytes: MIN_FREE_BYTES - 1 }, want: undefined },
    { why: '/dev/shm on a disk file system gains nothing', tmpdir: undefined, shm: { type: EXT4, freeBytes: MIN_FREE_BYTES * 4 }, want: undefined },
    { why: 'a noexec tmpfs (Docker mounts /dev/shm so): tests run programs they write', tmpdir: undefined, shm: { type: TMPFS, freeBytes: MIN_FREE_BYTES * 4, noexec: true }, want: undefined },
    { why: 'no /dev/shm (macOS, say)', tmpdir: undefined, shm: undefined, want: undefined },
    { why: 'an empty TMPDIR counts as unset', tmpdir: '', shm: { type: TMPFS, freeBytes: MIN_FREE_BYTES }, want: '/dev/shm/promptctl-tests' },
  ])('$why', ({ tmpdir, shm, want }) => {
    expect(chooseTempRoot({ tmpdir, shm })).toBe(want);
  });
});

describe('useFastTempRoot', () => {
  test('keeps a TMPDIR the user set, touching nothing', () => {
    const env: NodeJS.ProcessEnv = { TMPDIR: '/scratch' };
    expect(useFastTempRoot(env)).toBeUndefined();
    expect(env).toEqual({ TMPDIR: '/scratch' });
  });

  test('leaves TMPDIR unset where the folder it would use is not a tmpfs', () => {
    const notShm = mkdtempSync(path.join(os.homedir(), '.promptctl-not-shm-'));
    try {
      const env: NodeJS.ProcessEnv = {};
      expect(useFastTempRoot(env, notShm)).toBeUndefined();
      expect(env.TMPDIR).toBeUndefined();
    } finally {
      rmSync(notShm, { recursive: true, force: true });
    }
  });

  // The run itself went through useFastTempRoot (vitest.config.ts) before the workers started: they
  // inherited its choice. The folder is shared like /tmp, so the postgres user can reach the cluster.
  test('this run keeps its files where chooseTempRoot says, shared like /tmp when on the tmpfs', () => {
    if (os.tmpdir() === '/dev/shm/promptctl-tests') {
      expect(statSync(os.tmpdir()).mode & 0o7777).toBe(0o1777);
      expect(statfsSync('/dev/shm').type).toBe(TMPFS);
    } else {
      expect(os.tmpdir().startsWith('/dev/shm/')).toBe(false);
    }
  });
});
