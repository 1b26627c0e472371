import { accessSync, chmodSync, constants, mkdirSync, readFileSync, statfsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a test run keeps its throwaway files (projects, git repositories, SQLite registries, the run's
 * PostgreSQL cluster): a RAM-backed tmpfs when the machine has one with room, else the OS temp folder.
 *
 * Why: the suite writes tens of thousands of small files. On the 2-core machines it runs on, the
 * PostgreSQL cluster alone spent about 130 ms of kernel time per CREATE DATABASE on ext4 (about 300
 * files each, 139 databases a run) against 40 ms on tmpfs, and the whole suite took 413 s of CPU and
 * 210 s on ext4 against 312 s and 159 s on tmpfs, in back-to-back runs. What the tests check does not
 * depend on the file system: they passed the same on both.
 */

/** Linux's magic number for tmpfs in statfs(2). */
const TMPFS_MAGIC = 0x01021994;
/** A run peaks at about 1.7 GB there (the cluster's 139 databases most of it): twice that, rounded up. */
export const MIN_FREE_BYTES = 4 * 1024 ** 3;
/** Shared by the users a run works as (the postgres user runs the cluster), like /tmp: sticky, world-writable. */
const SHARED_MODE = 0o1777;

export interface TempFolderFacts {
  /** TMPDIR as the run was started: a user's own choice, which is kept. */
  tmpdir: string | undefined;
  /** /dev/shm's file system, or undefined when there is none; `noexec` from its mount options. */
  shm: { type: number; freeBytes: number; noexec?: boolean } | undefined;
}

/** The folder the run should use, or undefined to leave the OS temp folder as it is. */
export function chooseTempRoot(facts: TempFolderFacts, shmRoot = '/dev/shm'): string | undefined {
  if (facts.tmpdir) return undefined;
  if (!facts.shm || facts.shm.type !== TMPFS_MAGIC || facts.shm.freeBytes < MIN_FREE_BYTES) return undefined;
  // Tests run programs they write in temp folders (a git wrapper first on PATH, scripts): a noexec mount (Docker's default for /dev/shm) would refuse them.
  if (facts.shm.noexec) return undefined;
  return path.join(shmRoot, 'promptctl-tests');
}

function shmFacts(shmRoot: string): TempFolderFacts['shm'] {
  try {
    const s = statfsSync(shmRoot);
    return { type: s.type, freeBytes: s.bavail * s.bsize, noexec: mountedNoexec(shmRoot) };
  } catch {
    return undefined;
  }
}

/** Whether the mount at `mountPoint` (its last entry in /proc/mounts) says noexec; unknown counts as noexec. */
function mountedNoexec(mountPoint: string): boolean {
  try {
    const entries = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')).filter((f) => f[1] === mountPoint);
    const options = entries.at(-1)?.[3];
    return options === undefined || options.split(',').includes('noexec');
  } catch {
    return true;
  }
}

/**
 * Points this process's TMPDIR (inherited by the test workers and every process they start) at a
 * tmpfs folder when chooseTempRoot picks one and it can be made writable; returns the folder in use.
 */
export function useFastTempRoot(env: NodeJS.ProcessEnv = process.env, shmRoot = '/dev/shm'): string | undefined {
  const root = chooseTempRoot({ tmpdir: env.TMPDIR, shm: shmFacts(shmRoot) }, shmRoot);
  if (!root) return undefined;
  try {
    mkdirSync(root, { recursive: true });
    try {
      chmodSync(root, SHARED_MODE); // mkdir's mode is cut by the umask; another user's folder stays theirs
    } catch {
      // not ours: usable if it lets us write
    }
    accessSync(root, constants.W_OK | constants.X_OK);
  } catch {
    return undefined;
  }
  env.TMPDIR = root;
  return root;
}
