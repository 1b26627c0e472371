import { describe, expect, it } from 'vitest';
import { withSameContent } from '../../src/app/ci-facts.js';
import type { Project } from '../../src/infra/project.js';
import { readFileBytes, UNREADABLE_RULE } from '../../src/infra/yaml-file.js';
import { makeTempDir } from '../registry/harness.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A version file git calls modified that this checkout cannot read (a permission, a folder in its
 * place) is not "edited after it was released": its read error, a problem of its own, says what
 * is wrong (before, ci printed both, and told the author to create a new version).
 */
describe('ci and a version file it cannot read', () => {
  it('the read error carries its rule, and the change is marked unreadable rather than compared', () => {
    const tmp = makeTempDir();
    try {
      const file = 'prompts/support-answer/1.0.0.yaml';
      mkdirSync(join(tmp.dir, file), { recursive: true });
      const read = readFileBytes(join(tmp.dir, file), file);
      expect(read.problems).toMatchObject([{ file, rule: UNREADABLE_RULE, message: expect.stringMatching(/^cannot read file: .*: a folder is where the file should be$/) }]);
      const project = { root: tmp.dir, prompts: [], suites: [], problems: read.problems } as unknown as Project;
      const base = { from: 'main', name: 'main' } as never;
      expect(withSameContent(project, base, [{ file, status: 'modified' }])).toEqual([{ file, status: 'modified', unreadable: true }]);
    } finally {
      tmp.cleanup();
    }
  });
});
