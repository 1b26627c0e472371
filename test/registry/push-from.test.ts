import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeProject } from '../support/project.js';

/**
 * `registry push --from` names the SQLite file to copy: a path that cannot be a registry by its kind
 * is bad input (exit 2) saying what it is, checked before anything is opened or any server is
 * reached, as `registry.path` is (before, `.promptrc.yaml` got "restore it from a backup" and
 * /dev/null "check the disk", exit 3).
 */

const TO = ['--to', 'postgres://promptctl@127.0.0.1:1/nowhere'];

describe('registry push --from', () => {
  it.each([
    ['the config file', '.promptrc.yaml', /--from \.promptrc\.yaml names .*\.promptrc\.yaml, a YAML file/],
    ['a folder', 'prompts', /--from prompts names .*prompts, which is a folder/],
    ['a device', '/dev/null', /--from \/dev\/null names \/dev\/null, which is a device or special file, not a regular file/],
  ])('%s: exit 2 naming it', async (_name, from, error) => {
    const r = await runCliInProcess(['registry', 'push', '--from', from, ...TO], { cwd: makeProject() });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(error);
    expect(r.stderr).toMatch(/hint: name a promptctl SQLite registry file/);
  });
});
