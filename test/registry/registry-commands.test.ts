import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { patchConfig, registerFiles } from '../support/registry-cli.js';

/** `registry migrate` and `registry info` on the default SQLite registry (PostgreSQL: postgres-cli.test.ts). */

afterAll(() => cleanupTempDirs());

describe('registry commands on SQLite', () => {
  it('info refuses an absent registry (exit 2, as status does) without creating it; migrate creates it; both report the file and counts', async () => {
    const dir = makeProject();
    const file = path.join(dir, '.promptctl', 'registry.db');
    // A misspelt registry.path must not read as an empty registry of the current schema.
    const before = await runCliInProcess(['registry', 'info', '--json'], { cwd: dir });
    expect(before.code, before.output).toBe(2);
    expect(before.stderr).toContain(`no registry at ${file}`);
    expect(before.stderr).toContain('registry.path');
    expect(existsSync(file)).toBe(false);
    const migrated = await runCliInProcess(['registry', 'migrate'], { cwd: dir });
    expect(migrated.code, migrated.output).toBe(0);

    // A config without registry: the default path, named as the default, with no line of a field the file does not have.
    const bare = makeProject();
    patchConfig(bare, (c) => delete c.registry);
    for (const args of [['status'], ['history'], ['export', '--env', 'production'], ['get', 'support-answer', '--env', 'production'], ['registry', 'info']]) {
      const r = await runCliInProcess(args, { cwd: bare });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(2);
      expect(r.stderr).toContain(`no registry at ${path.join(bare, '.promptctl', 'registry.db')}`);
      expect(r.stderr).not.toMatch(/\.promptrc\.yaml:\d+:\d+|registry\.path in \.promptrc\.yaml is/);
      expect(r.stderr).toMatch(/^why: \.promptrc\.yaml sets no registry\.path, so the registry is the default \.promptctl\/registry\.db/m);
      expect(r.stderr).toMatch(/^hint: .*to use a registry elsewhere, set registry\.path in \.promptrc\.yaml/m);
    }
    expect(migrated.stdout).toMatch(/\(sqlite\) migrated: schema version 0 → \d+/);
    expect((await runCliInProcess(['registry', 'migrate'], { cwd: dir })).stdout).toMatch(/is up to date/);
    registerFiles(dir, 'support-answer@1.0.0');
    const info = await runCliInProcess(['registry', 'info'], { cwd: dir });
    expect(info.stdout).toMatch(/backend\s+sqlite[\s\S]*versions\s+1[\s\S]*audit events\s+0/);
  });
});
