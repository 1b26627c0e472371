import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { committedLinkOut } from '../../src/infra/data-links.js';
import { commitAll, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * A `cases_from` file reached through a symbolic link out of the repository: followed when git
 * ignores the link (a mount, a DVC cache), refused when the link comes with the checkout, where a
 * pull request could point it at any file of the CI runner (hostile hunt #1).
 */

afterAll(() => cleanupTempDirs());

/** repo/app is the project; `outside` holds a file and a folder no repository owns. */
function setup(): { repo: string; app: string; outside: string } {
  const repo = realpathSync(makeTempDir('promptctl-data-links-'));
  const outside = realpathSync(makeTempDir('promptctl-data-links-outside-'));
  writeFileSync(path.join(outside, 'secret.csv'), 'id,q\na,SECRET\n');
  mkdirSync(path.join(outside, 'folder'));
  writeFileSync(path.join(outside, 'folder', 'x.csv'), 'id,q\na,SECRET\n');
  const app = path.join(repo, 'app');
  mkdirSync(path.join(app, 'data'), { recursive: true });
  mkdirSync(path.join(repo, 'shared'));
  writeFileSync(path.join(repo, 'shared', 'in-repo.csv'), 'id,q\na,b\n');
  writeFileSync(path.join(app, '.gitignore'), 'mnt/\nignored-link.csv\n');
  mkdirSync(path.join(app, 'mnt'));
  return { repo, app, outside };
}

type Case = { name: string; links: Record<string, (outside: string) => string>; file: string; refused?: { link: string; target: string } };

const CASES: Case[] = [
  { name: 'a committed link to a file outside', links: { 'data/d.csv': (o) => `${o}/secret.csv` }, file: 'data/d.csv', refused: { link: 'data/d.csv', target: 'secret.csv' } },
  { name: 'a committed link to a folder outside', links: { data2: (o) => `${o}/folder` }, file: 'data2/x.csv', refused: { link: 'data2', target: 'folder/x.csv' } },
  { name: 'a git-ignored link (a local mount)', links: { 'ignored-link.csv': (o) => `${o}/secret.csv` }, file: 'ignored-link.csv' },
  { name: 'a link inside a git-ignored folder (a DVC cache)', links: { 'mnt/x.csv': (o) => `${o}/secret.csv` }, file: 'mnt/x.csv' },
  { name: 'a link to another folder of the same repository', links: { 'data/s.csv': () => '../../shared/in-repo.csv' }, file: 'data/s.csv' },
  {
    name: 'a committed link through a git-ignored mount (name the mount itself)',
    links: { 'mnt/m': (o) => `${o}/folder`, 'data/via.csv': () => '../mnt/m/x.csv' },
    file: 'data/via.csv',
    refused: { link: 'data/via.csv', target: 'folder/x.csv' },
  },
];

describe('committedLinkOut', () => {
  it.each(CASES)('$name', ({ links, file, refused }) => {
    const { repo, app, outside } = setup();
    for (const [at, to] of Object.entries(links)) symlinkSync(to(outside), path.join(app, at));
    initRepo(repo);
    expect(committedLinkOut(app, file)).toEqual(refused && { link: refused.link, target: path.join(outside, refused.target) });
  });

  it('refuses a link not yet committed that git does not ignore (it would be, by `git add -A`)', () => {
    const { repo, app, outside } = setup();
    initRepo(repo);
    symlinkSync(`${outside}/secret.csv`, path.join(app, 'data', 'new.csv'));
    expect(committedLinkOut(app, 'data/new.csv')).toEqual({ link: 'data/new.csv', target: path.join(outside, 'secret.csv') });
  });

  it('refuses a committed link that a later .gitignore line matches (git still tracks it)', () => {
    const { repo, app, outside } = setup();
    symlinkSync(`${outside}/secret.csv`, path.join(app, 'data', 'd.csv'));
    initRepo(repo);
    writeFileSync(path.join(app, '.gitignore'), 'data/\n');
    commitAll(repo, 'ignore data/');
    expect(committedLinkOut(app, 'data/d.csv')).toEqual({ link: 'data/d.csv', target: path.join(outside, 'secret.csv') });
  });

  it('follows every link outside a git repository: nothing there is tracked', () => {
    const { app, outside } = setup();
    symlinkSync(`${outside}/secret.csv`, path.join(app, 'data', 'd.csv'));
    expect(committedLinkOut(app, 'data/d.csv')).toBeUndefined();
  });
});
