import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { registerFiles } from '../support/registry-cli.js';

/** `registry migrate` and `registry info` on the default SQLite registry (PostgreSQL: postgres-cli.test.ts). */

afterAll(() => cleanupTempDirs());

describe('registry commands on SQLite', () => {
  it('info reads an absent registry as empty without creating it; migrate creates it; both report the file and counts', async () => {
    const dir = makeProject();
    const file = path.join(dir, '.promptctl', 'registry.db');
    const before = await runCliInProcess(['registry', 'info', '--json'], { cwd: dir });
    expect(before.code, before.output).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ backend: 'sqlite', location: file, counts: { versions: 0, events: 0 } });
    expect(existsSync(file)).toBe(false);
    const migrated = await runCliInProcess(['registry', 'migrate'], { cwd: dir });
    expect(migrated.code, migrated.output).toBe(0);
    expect(migrated.stdout).toMatch(/\(sqlite\) migrated: schema version 0 → \d+/);
    expect((await runCliInProcess(['registry', 'migrate'], { cwd: dir })).stdout).toMatch(/is up to date/);
    registerFiles(dir, 'support-answer@1.0.0');
    const info = await runCliInProcess(['registry', 'info'], { cwd: dir });
    expect(info.stdout).toMatch(/backend\s+sqlite[\s\S]*versions\s+1[\s\S]*audit events\s+0/);
  });
});
