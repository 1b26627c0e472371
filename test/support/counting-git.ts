import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import { makeTempDir } from './project.js';

/**
 * A `git` first on PATH (stubbed until `vi.unstubAllEnvs()`) that logs each call's arguments, one
 * call a line, and runs the real git: how many git processes promptctl starts, and which. promptctl
 * runs git with this process's PATH (infra/git.ts gitEnv).
 */
export function countingGit(): { calls: () => string[] } {
  const real = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'git')).find((p) => existsSync(p));
  if (!real) throw new Error('git is not on PATH');
  const dir = makeTempDir('promptctl-git-count-');
  const log = path.join(dir, 'calls.log');
  writeFileSync(log, '');
  writeFileSync(path.join(dir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(path.join(dir, 'git'), 0o755);
  vi.stubEnv('PATH', `${dir}${path.delimiter}${process.env.PATH ?? ''}`);
  return { calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}
