import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { findProjectRoot } from '../../src/infra/project-config.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';

/**
 * A `.promptrc.yaml` that is a symbolic link leading nowhere marks its folder's project all the
 * same: the search for the project root stops there with exit 2 naming the link, rather than going
 * on upwards and running every command (deploys included) against a project above.
 */

afterAll(() => cleanupTempDirs());

/** parent/.promptrc.yaml is a real config; parent/child/.promptrc.yaml is what `link` makes of it. */
function nested(link: (config: string) => void): { parent: string; child: string } {
  const parent = realpathSync(makeTempDir('promptctl-root-links-'));
  writeFileSync(path.join(parent, '.promptrc.yaml'), 'server: {}\n');
  const child = path.join(parent, 'child');
  mkdirSync(child);
  link(path.join(child, '.promptrc.yaml'));
  return { parent, child };
}

function rootError(cwd: string): InputError {
  try {
    findProjectRoot(cwd);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`found a project root from ${cwd}`);
}

describe('findProjectRoot and a config that is a link', () => {
  const table: Array<{ what: string; link: (config: string) => void; message: RegExp }> = [
    { what: 'dangling', link: (c) => symlinkSync('../shared/rc.yaml', c), message: /symbolic link to \.\.\/shared\/rc\.yaml, which does not exist/ },
    { what: 'a self-loop', link: (c) => symlinkSync('.promptrc.yaml', c), message: /symbolic link loop/ },
    { what: 'a two-link loop', link: (c) => (symlinkSync('b.yaml', c), symlinkSync('.promptrc.yaml', path.join(path.dirname(c), 'b.yaml'))), message: /symbolic link loop/ },
  ];
  it.each(table)('$what: exit 2 naming the link, never the project above', ({ link, message }) => {
    const { child } = nested(link);
    const sub = path.join(child, 'sub');
    mkdirSync(sub);
    for (const [cwd, rel] of [[child, '.promptrc.yaml'], [sub, '../.promptrc.yaml']] as const) {
      const err = rootError(cwd);
      expect(err.exitCode).toBe(2);
      expect(err.message).toContain(path.join(child, '.promptrc.yaml'));
      expect(err.problems).toHaveLength(1);
      expect(err.problems[0]).toMatchObject({ file: rel, line: 1, col: 1 });
      expect(err.problems[0]!.message).toMatch(message);
      expect(err.hint).toMatch(/restore the link's target/);
    }
  });

  it('a link to a real config is the project root, and a folder without one looks above', () => {
    const { parent, child } = nested((c) => symlinkSync('../.promptrc.yaml', c));
    expect(findProjectRoot(child)).toBe(child);
    const plain = path.join(parent, 'plain');
    mkdirSync(plain);
    expect(findProjectRoot(plain)).toBe(parent);
  });
});

describe('deploy under a dangling config link', () => {
  it('exits 2 and records nothing in the project above', async () => {
    const parent = makeProject({ prefix: 'promptctl-root-links-deploy-' });
    const child = path.join(parent, 'child');
    mkdirSync(child);
    symlinkSync('../shared/rc.yaml', path.join(child, '.promptrc.yaml'));
    const r = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'development', '--reason', 'x'], { cwd: child });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.promptrc.yaml:1:1');
    expect(r.stderr).toContain('which does not exist');
    expect(existsSync(path.join(parent, '.promptctl', 'registry.db'))).toBe(false);
  });
});

describe('init where the config is a dangling link', () => {
  it('exits 2 naming the link, writing nothing through it', async () => {
    const dir = realpathSync(makeTempDir('promptctl-root-links-init-'));
    mkdirSync(path.join(dir, 'p'));
    symlinkSync('../nowhere.yaml', path.join(dir, 'p', '.promptrc.yaml'));
    const r = await runCliInProcess(['init', 'p'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('p/.promptrc.yaml:1:1 is a symbolic link to ../nowhere.yaml, which does not exist');
    expect(existsSync(path.join(dir, 'nowhere.yaml'))).toBe(false);
  });
});
