import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { REPO_ROOT } from '../support/cli.js';
import { cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';

/**
 * An alias inside the node its anchor names (`schema: &node { properties: { child: *node } }`, a
 * natural first try at a recursive schema) read as a circular value, and the next walk of it
 * recursed for ever: lint, show, eval and ci exited 70 ("Maximum call stack size exceeded").
 * test/foundation/bad-inputs.test.ts holds lint, show and eval to exit 2 with the alias's line;
 * here, ci (which needs a repository) and the file cache.
 */

afterAll(cleanupTempDirs);

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'bad');
const PROMPT = 'prompts/support-answer/1.1.0.yaml';
const SUITE = 'evalsets/support-answer/bad.yaml';
const CYCLE = 'alias *node is inside the value its anchor &node names (a cycle): a YAML value cannot contain itself; for a recursive JSON schema, refer to the schema with `$ref` (e.g. `$ref: "#"`) instead';

describe('an alias inside its own anchor', () => {
  it.each([
    ['a version', 'alias-cycle-schema', `${PROMPT}:19:16 error response_format.json_schema.schema.properties.child: ${CYCLE}`],
    ['a suite', 'alias-cycle-suite', `${SUITE}:11:20 error cases.0.expect.1.json-schema.properties.child: ${CYCLE}`],
  ])('ci on a branch that adds it to %s: exit 2 naming the alias, not exit 70', async (_what, fixture, line) => {
    const dir = makeProject();
    initRepo(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'recursive');
    cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
    commitAll(dir, 'a recursive schema');
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain(line);
    expect(r.output).not.toContain('hit a bug');
  });

  it('leaves nothing in the file cache for the file, so its problem comes back every time', () => {
    const root = makeProject();
    cpSync(path.join(FIXTURES, 'alias-cycle-schema'), root, { recursive: true });
    const env = { XDG_CACHE_HOME: makeTempDir('promptctl-user-cache-') };
    const cacheDir = path.join(root, '.promptctl', 'cache', 'files');
    const entries = () => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith('.json')) : []);
    const first = loadProject(root, { env });
    const expected = [expect.objectContaining({ file: PROMPT, line: 19, field: 'response_format.json_schema.schema.properties.child', message: CYCLE })];
    expect(first.problems).toEqual(expected);
    expect(first.prompts.map((p) => p.version)).toEqual(['1.0.0']);
    const kept = entries();
    // The clean files were kept (the cache is on), the broken one was not.
    expect(kept.length).toBe(1 + first.prompts.length + first.suites.length);
    expect(loadProject(root, { env }).problems).toEqual(expected);
    expect(entries()).toEqual(kept);
  });
});
