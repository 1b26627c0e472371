import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { notRegistryKind } from '../../src/infra/registry-kind.js';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, makeTempDir } from '../support/project.js';

/**
 * A symbolic link at registry.path that leads nowhere (a loop; a link to a volume that is not
 * mounted) is said for what it is, exit 2 naming the link, its target and the config field, in
 * every command. Before, it read as "no registry here: eval creates it" or "check that the folder
 * exists and is writable", and lint passed.
 */
describe('a symbolic link at the registry path', () => {
  const dir = makeTempDir();
  writeFileSync(path.join(dir, 'real.db'), '');
  symlinkSync('real.db', path.join(dir, 'good.db'));
  symlinkSync('loop.db', path.join(dir, 'loop.db'));
  symlinkSync('/nonexistent-volume/registry.db', path.join(dir, 'dangling.db'));

  it.each<[string, string, string | undefined]>([
    ['a link to a file', 'good.db', undefined],
    ['no file at all', 'missing.db', undefined],
    ['a link to itself', 'loop.db', 'loop'],
    ['a link to a file that is not there', 'dangling.db', 'dangling'],
  ])('%s: %s', (_name, file, kind) => {
    expect(notRegistryKind(path.join(dir, file))?.kind).toBe(kind);
  });

  it('status, deploy and lint say the link points to nothing, naming its target (exit 2)', async () => {
    const project = makeProject();
    mkdirSync(path.join(project, '.promptctl'), { recursive: true });
    symlinkSync('/nonexistent-volume/registry.db', path.join(project, '.promptctl', 'registry.db'));
    for (const args of [['status'], ['deploy', 'support-answer@1.1.0', '--env', 'development'], ['lint']]) {
      const r = await runCliInProcess(args, { cwd: project });
      expect(r.code, `${args[0]}: ${r.output}`).toBe(2);
      expect(r.output).toMatch(/registry\.path: .*which is a symbolic link to \/nonexistent-volume\/registry\.db, and nothing is there/);
    }
  });
});
