import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';

/**
 * `registry migrate` on SQLite checks registry.path as every other command does (exit 2 naming the
 * field): it opened the path itself, so a folder was "disk I/O error" (exit 3, check the disk), a
 * prompt version file was "not a SQLite database, or damaged" (exit 3, with recovery steps), and an
 * empty YAML file "an empty registry" (exit 3, whose hint ends: delete the empty file).
 */

afterAll(() => cleanupTempDirs());

async function migrateAt(dir: string, registryPath: string) {
  patchConfig(dir, (c) => (c.registry = { ...c.registry, path: registryPath }));
  return runCliInProcess(['registry', 'migrate'], { cwd: dir });
}

describe('registry migrate: registry.path', () => {
  it('refuses a folder, a prompt version file and an empty YAML file (exit 2, naming registry.path), writing nothing', async () => {
    const dir = makeProject();
    const folder = await migrateAt(dir, 'prompts');
    expect(folder.code, folder.output).toBe(2);
    expect(folder.stderr).toContain(`registry.path (prompts) names ${path.join(dir, 'prompts')}, which is a folder`);
    expect(folder.stderr).not.toContain('disk I/O');

    const version = path.join(dir, 'prompts', 'support-answer', '1.0.0.yaml');
    const before = readFileSync(version, 'utf8');
    const yaml = await migrateAt(dir, 'prompts/support-answer/1.0.0.yaml');
    expect(yaml.code, yaml.output).toBe(2);
    expect(yaml.stderr).toContain('a YAML file');
    expect(yaml.stderr).not.toContain('not a SQLite database');
    expect(readFileSync(version, 'utf8')).toBe(before);

    const empty = writeProjectFile(dir, 'notes.yaml', '');
    const blank = await migrateAt(dir, 'notes.yaml');
    expect(blank.code, blank.output).toBe(2);
    expect(readFileSync(empty, 'utf8')).toBe('');

    // The path the other commands accept still migrates.
    const fine = await migrateAt(dir, '.promptctl/registry.db');
    expect(fine.code, fine.output).toBe(0);
    expect(fine.stdout).toMatch(/\(sqlite\) migrated: schema version 0 → \d+/);
  });
});
