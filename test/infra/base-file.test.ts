import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { fileAtBaseByName, filesAtBaseByName } from '../../src/infra/base-file.js';
import { commitAll, git, initRepo } from '../support/ci-repo.js';
import { countingGit } from '../support/counting-git.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * The base's config under its own name, resolved in the base's tree (a link at any part followed
 * there), failing closed: ci's trust check compares with it (core/ci/trust-settings.ts). The
 * re-review found a folder link on the way read as "no base config".
 */

afterAll(() => cleanupTempDirs());
afterEach(() => vi.unstubAllEnvs());

function repo(files: Record<string, string>, links: Record<string, string> = {}): string {
  const top = realpathSync(makeTempDir('promptctl-base-file-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(top, f)), { recursive: true });
    writeFileSync(path.join(top, f), text);
  }
  for (const [f, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(top, f)), { recursive: true });
    symlinkSync(target.replace('<top>', top), path.join(top, f));
  }
  initRepo(top, 'base');
  return top;
}

const head = (top: string) => git(top, 'rev-parse', 'HEAD').trim();

describe('fileAtBaseByName', () => {
  it.each([
    ['a plain file', { 'app/.promptrc.yaml': 'A' }, {}, { present: true, text: 'A' }],
    ['a link to a file', { 'app/conf/rc.yaml': 'B' }, { 'app/.promptrc.yaml': 'conf/rc.yaml' }, { present: true, text: 'B' }],
    ['a link through a folder link', { 'app/conf/rc.yaml': 'C' }, { 'app/cfg': 'conf', 'app/.promptrc.yaml': 'cfg/rc.yaml' }, { present: true, text: 'C' }],
    ['a link to a shared file above the project', { 'shared/rc.yaml': 'D' }, { 'app/.promptrc.yaml': '../shared/rc.yaml' }, { present: true, text: 'D' }],
    ['an absolute link into the repository', { 'app/conf/rc.yaml': 'E' }, { 'app/.promptrc.yaml': '<top>/app/conf/rc.yaml' }, { present: true, text: 'E' }],
    ['a link out of the repository: unreadable', { 'app/x': '' }, { 'app/.promptrc.yaml': '/etc/hostname' }, { present: true }],
    ['a dangling link: unreadable', { 'app/x': '' }, { 'app/.promptrc.yaml': 'nowhere.yaml' }, { present: true }],
    ['a link loop: unreadable', { 'app/x': '' }, { 'app/.promptrc.yaml': 'a', 'app/a': '.promptrc.yaml' }, { present: true }],
    ['a folder where the file should be: unreadable', { 'app/.promptrc.yaml/inner': 'F' }, {}, { present: true }],
    ['the project folder itself a link on the base', { 'real/.promptrc.yaml': 'K' }, { app: 'real' }, { present: true, text: 'K' }],
    ['a file where the project folder should be: unreadable', { app: 'L' }, {}, { present: true }],
    ['nothing of that name: absent', { 'app/other.yaml': 'G' }, {}, { present: false }],
    ['no project folder at all on the base: absent', { 'elsewhere/x': 'H' }, {}, { present: false }],
  ])('%s', (_name, files, links, expected) => {
    const top = repo(files as Record<string, string>, links as Record<string, string>);
    expect(fileAtBaseByName(top, path.join(top, 'app'), head(top), '.promptrc.yaml')).toEqual(expected);
    // Beside another name, in one call (versionAtTip asks both YAML extensions), the answer is the same.
    expect(filesAtBaseByName(top, path.join(top, 'app'), head(top), ['other.yml', '.promptrc.yaml'])[1]).toEqual(expected);
  });

  it('reads the base, not the checkout: a link changed after the base commit is read as it was', () => {
    const top = repo({ 'app/conf/rc.yaml': 'base', 'app/conf/new.yaml': 'branch' }, { 'app/.promptrc.yaml': 'conf/rc.yaml' });
    const base = head(top);
    git(top, 'rm', '-q', 'app/.promptrc.yaml');
    symlinkSync('conf/new.yaml', path.join(top, 'app/.promptrc.yaml'));
    commitAll(top, 'the branch');
    expect(fileAtBaseByName(top, path.join(top, 'app'), base, '.promptrc.yaml')).toEqual({ present: true, text: 'base' });
  });

  it('a project reached through a link to the checkout is the same project', () => {
    const top = repo({ 'app/.promptrc.yaml': 'I' });
    const alias = path.join(makeTempDir('promptctl-base-alias-'), 'checkout');
    symlinkSync(top, alias);
    expect(fileAtBaseByName(top, path.join(alias, 'app'), head(top), '.promptrc.yaml')).toEqual({ present: true, text: 'I' });
  });

  it('a folder link on the way to a version file, on the base only, is followed there', () => {
    const top = repo({ 'app/.promptrc.yaml': 'M', 'app/shared/support/1.0.0.yaml': 'N' }, { 'app/prompts': 'shared' });
    const base = head(top);
    git(top, 'rm', '-q', 'app/prompts');
    mkdirSync(path.join(top, 'app/prompts'));
    commitAll(top, 'the branch');
    const names = ['prompts/support/1.0.0.yaml', 'prompts/support/1.0.0.yml'];
    // Nothing where a base-side link leads is unreadable, not absent (as for the config).
    const expected = [{ present: true, text: 'N' }, { present: true }];
    expect(names.map((name) => fileAtBaseByName(top, path.join(top, 'app'), base, name))).toEqual(expected);
    expect(filesAtBaseByName(top, path.join(top, 'app'), base, names)).toEqual(expected);
  });

  it('a link loop is given up when a path comes round again: a few git processes, not two per link up to the limit of 40', () => {
    const top = repo({ 'app/x': '' }, { 'app/.promptrc.yaml': 'a', 'app/a': 'b', 'app/b': '.promptrc.yaml' });
    const base = head(top);
    const git = countingGit();
    expect(fileAtBaseByName(top, path.join(top, 'app'), base, '.promptrc.yaml')).toEqual({ present: true });
    // One listing of the tree on the way, then a listing and a read per link of the loop (three).
    expect(git.calls().length).toBeLessThanOrEqual(8);
  });

  it('a git failure (an unknown commit) is unreadable, never absent', () => {
    const top = repo({ 'app/.promptrc.yaml': 'J' });
    expect(fileAtBaseByName(top, path.join(top, 'app'), '0'.repeat(40), '.promptrc.yaml')).toEqual({ present: true });
  });
});
