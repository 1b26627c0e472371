import { existsSync, lstatSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * A file a command creates (never overwriting) where a symbolic link to a missing file sits: the
 * link is there, though `existsSync` (which follows it) says no. Before, `init` said
 * `cannot write …/.gitignore: permission denied (EEXIST)`, and its hint to choose a writable
 * location was no help.
 */

afterAll(() => cleanupTempDirs());

describe('a dangling symbolic link where a command creates a file', () => {
  it('init says it is a link to a missing file, and how to clear it (exit 2)', async () => {
    const dir = makeTempDir();
    const link = path.join(dir, '.gitignore');
    symlinkSync('/nonexistent/x', link);
    const r = await runCliInProcess(['init'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: cannot write ${link}: it is a symbolic link to a missing file (/nonexistent/x)`);
    expect(r.stderr).toContain(`hint: remove the link (rm ${link}) or restore the file it points to, then run this again.`);
    expect(r.stderr).not.toContain('permission denied');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(path.join(dir, '.promptrc.yaml'))).toBe(false);
  });

});
