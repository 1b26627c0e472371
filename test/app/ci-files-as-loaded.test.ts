import { renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesFor } from '../../src/app/ci-facts.js';
import type { CiPlan } from '../../src/core/ci/plan.js';
import { loadProject } from '../../src/infra/project.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/** ci's outputs name the files as loaded: a version or suite written as `.yml` is not called `.yaml`. */

afterAll(() => cleanupTempDirs());

describe('filesFor', () => {
  it("names the evaluated prompts' versions and suites as they are on disk, .yml included", () => {
    const dir = makeProject();
    for (const f of ['prompts/support-answer/1.1.0', 'evalsets/support-answer/golden']) renameSync(path.join(dir, `${f}.yaml`), path.join(dir, `${f}.yml`));
    const plan = { evaluate: [{ ref: 'support-answer@1.1.0', why: 'new version', candidate: true }] } as CiPlan;
    expect(filesFor(loadProject(dir, { env: {} }), plan)).toEqual({
      versions: { 'support-answer@1.0.0': 'prompts/support-answer/1.0.0.yaml', 'support-answer@1.1.0': 'prompts/support-answer/1.1.0.yml' },
      suites: { 'support-answer/adversarial': 'evalsets/support-answer/adversarial.yaml', 'support-answer/golden': 'evalsets/support-answer/golden.yml' },
    });
  });
});
