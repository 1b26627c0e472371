import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleModule, makeTempDir, writeScript } from '../registry/harness.js';

/**
 * An output file given as /dev/stdout (or /dev/stderr, or a shell's >(…)) when that stream is a pipe,
 * as in every GitHub Actions step: the link leads to `pipe:[N]`, which has no real path. It is
 * written in place, as before output files were written whole (it was "the folder /dev does not
 * exist", exit 2, after the eval had run).
 */
describe('openWholeFile and a link to a pipe', () => {
  it('writes /dev/stdout in place when stdout is a pipe (a child piped into cat by the shell: a real pipe, not the socket Node gives a child)', async () => {
    const work = makeTempDir();
    try {
      const module = await bundleModule(work.dir, 'src/infra/whole-file.ts', 'whole-file.mjs');
      const script = writeScript(work.dir, 'write.mjs', `const { openWholeFile } = await import(${JSON.stringify(module)});
        const f = openWholeFile('/dev/stdout');
        f.write('<testsuites/>');
        f.commit();`);
      const r = spawnSync('sh', ['-c', '"$0" "$1" | cat', process.execPath, script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('<testsuites/>');
    } finally {
      work.cleanup();
    }
  });
});

// As another user where root and runuser exist: root writes any file, so the refusal needs one who cannot.
const asNobody = process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', '0']).status === 0;

describe('openWholeFile and a file this user may not write', () => {
  it.skipIf(!asNobody)('refuses it (EACCES) as writing in place did, rather than replacing a read-only report through its writable folder', async () => {
    const work = makeTempDir();
    try {
      const module = await bundleModule(work.dir, 'src/infra/whole-file.ts', 'whole-file.mjs');
      const target = join(work.dir, 'report.html');
      writeFileSync(target, 'kept');
      chmodSync(target, 0o444);
      chmodSync(work.dir, 0o777);
      const script = writeScript(work.dir, 'write.mjs', `const { openWholeFile } = await import(${JSON.stringify(module)});
        try { const f = openWholeFile(${JSON.stringify(target)}); f.write('replaced'); f.commit(); console.log('written'); }
        catch (e) { console.log(e.code); }`);
      const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, script], { encoding: 'utf8' });
      expect(r.stdout.trim()).toBe('EACCES');
      expect(readFileSync(target, 'utf8')).toBe('kept');
    } finally {
      work.cleanup();
    }
  });
});
