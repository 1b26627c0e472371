import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { markTested, tamper } from '../support/registry-cli.js';

/**
 * A JSON column edited by hand to hold something else: SQLite reads the file fine (integrity_check
 * passes), so it is not damaged pages, and the recovery steps for those (`.recover`, `.dump`) would
 * copy the row as it is. Exit 3 names the row and says to restore a backup.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';

describe('an event whose detail was edited into text that is not JSON', () => {
  it('audit verify and status exit 3 naming the row, as an edit, not damaged pages, and without the recovery steps', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    const d = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development'], { cwd: dir });
    expect(d.code, d.output).toBe(0);
    tamper(dir, (db) => db.prepare("UPDATE events SET detail = 'not json' WHERE seq = 2").run());
    for (const args of [['audit', 'verify'], ['status']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.output}`).toBe(3);
      expect(r.stderr).toMatch(/holds a row promptctl cannot read: events\.detail of event #2 holds text that is not JSON/);
      expect(r.stderr).toMatch(/why: promptctl writes only JSON in that column: the row was edited outside promptctl/);
      expect(r.stderr).not.toMatch(/pages of the file were overwritten/);
      expect(r.stderr).not.toMatch(/sqlite3 \S+ \.recover \|/);
      expect(r.stderr).toMatch(/restore \S+ from a backup/);
    }
  });
});
