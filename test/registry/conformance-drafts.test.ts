import { describe, expect } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { PromptFile } from '../../src/infra/project.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { checkVersion, settleVersions } from '../../src/infra/version-states.js';
import { backends, freshPerTest, type FreshRegistry } from './backends.js';

/**
 * Drafts on a shared registry, alike on SQLite and PostgreSQL: two branches evaluating different
 * drafts of one version take turns as its registered content, and neither loses its runs or marks;
 * each content is kept once; the first deploy releases the version, and its edits are refused.
 */

const ID = 'support';
const file = (hash: string): PromptFile =>
  ({ id: ID, version: '1.2.0', hash, canonical: JSON.stringify({ draft: hash }), file: 'prompts/support/1.2.0.yaml', data: { description: `draft ${hash}`, author: 'ana' }, locate: () => ({ line: 1, col: 1 }) }) as unknown as PromptFile;

async function recordRun(reg: Registry, id: string, promptHash: string): Promise<void> {
  await reg.createRun({
    id, invocationId: `inv-${id}`, inputsKey: `inputs-${id}`, promptId: ID, version: '1.2.0', promptHash, suite: 'faq', suiteKind: 'golden',
    suiteHash: 'sh', model: 'llama', server: 'http://127.0.0.1:8000/v1', promptctlVersion: '0.1.0', startedAt: '2025-03-01T12:00:00.000Z',
  });
  await reg.finishRun(id, 'finished', { cases: 1, passed: 1, failed: 0, errored: 0, notRun: 0, samples: 1, passRate: 1, verdict: 'passed', latencyP50: 1, latencyP95: 1, latencyP99: 1, tokensIn: 1, tokensOut: 1, piiLeaks: 0 }, '2025-03-01T12:00:00.000Z');
  await reg.markTested({ promptId: ID, version: '1.2.0', contentHash: promptHash, model: 'llama', actor: 'ana', suites: [{ suite: 'faq', kind: 'golden', passRate: 1, runId: id }] });
}

/** How many rows superseded_versions has, read through a secret: the Registry interface has no reader for them. */
async function supersededRows(store: FreshRegistry, reg: Registry, name: string): Promise<number> {
  await store.sql(`INSERT INTO secrets (name, value, created_at) SELECT '${name}', CAST(count(*) AS TEXT), 'now' FROM superseded_versions`);
  return Number(await reg.getOrCreateSecret(name));
}

describe.each(backends())('$name registry: drafts', (backend) => {
  const { store, test } = freshPerTest(backend);

  test('two branches evaluating different drafts of 1.2.0 never replace each other’s runs or marks', async () => {
    const branchA = store.open();
    const branchB = store.open();
    await settleVersions(branchA, [file('draft-a')], { actor: 'ana' }, undefined);
    await recordRun(branchA, 'run-a1', 'draft-a');
    await settleVersions(branchB, [file('draft-b')], { actor: 'bo' }, undefined);
    await recordRun(branchB, 'run-b1', 'draft-b');
    // Back and forth on the same (fixed) clock: each content is kept once, never a key conflict.
    await settleVersions(branchA, [file('draft-a')], { actor: 'ana' }, undefined);
    await recordRun(branchA, 'run-a2', 'draft-a');
    await settleVersions(branchB, [file('draft-b')], { actor: 'bo' }, undefined);

    const runs = await branchA.listRuns({ promptId: ID, version: '1.2.0' });
    expect(runs.map((r) => `${r.id}:${r.promptHash}`).sort()).toEqual(['run-a1:draft-a', 'run-a2:draft-a', 'run-b1:draft-b']);
    expect(await branchA.getTestedMark(ID, '1.2.0', 'draft-a', 'llama')).toMatchObject({ suites: [{ runId: 'run-a2' }] });
    expect(await branchA.getTestedMark(ID, '1.2.0', 'draft-b', 'llama')).toMatchObject({ suites: [{ runId: 'run-b1' }] });
    expect((await branchA.getVersion(ID, '1.2.0'))?.contentHash).toBe('draft-b');
    // draft-a and draft-b each once, though each was replaced (draft-b is current again, and kept there too).
    expect(await supersededRows(store, branchA, 'superseded-count')).toBe(2);
    const swaps = (await branchA.listEvents({ promptId: ID })).filter((e) => e.action === 'supersede');
    expect(swaps.map((e) => `${e.actor}:${e.detail?.supersededHash}->${e.contentHash}`)).toEqual(['bo:draft-a->draft-b', 'ana:draft-b->draft-a', 'bo:draft-a->draft-b']);
    expect((await checkVersion(branchA, file('draft-a'))).verdict).toEqual({ state: 'draft', allowed: true });
  });

  test('the first deploy releases it: its content is fixed, an edit is refused (exit 2) with the one message', async () => {
    const reg = store.open();
    await settleVersions(reg, [file('draft-a')], { actor: 'ana' }, undefined);
    await reg.appendEvent({ env: 'staging', promptId: ID, version: '1.2.0', previousVersion: null, action: 'deploy', actor: 'ana', reason: null, contentHash: 'draft-a' });
    expect((await checkVersion(reg, file('draft-a'))).verdict).toEqual({ state: 'released', allowed: true, releasedHash: 'draft-a', releasedIn: ['staging'] });
    const refused = await settleVersions(store.open(), [file('draft-b')], { actor: 'bo' }, undefined).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).exitCode).toBe(2);
    expect((refused as InputError).message).toBe('support@1.2.0 was edited after it was released (deployed to staging)');
    expect((await reg.getVersion(ID, '1.2.0'))?.contentHash).toBe('draft-a');
  });
});
