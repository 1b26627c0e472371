import { describe, expect } from 'vitest';
import { sha256Hex } from '../../src/core/canonical.js';
import type { PromptFile } from '../../src/infra/project.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { verifyRecords } from '../../src/infra/registry/verify-records.js';
import { settleVersions } from '../../src/infra/version-states.js';
import { backends, freshPerTest, type BackendCase, type FreshRegistry } from './backends.js';

/**
 * `audit verify` checks a draft's earlier contents as it checks registered ones, alike on SQLite and
 * PostgreSQL: each is re-hashed, and the contents that tested, untested and supersede events name
 * must still be held (as the version's content or among its superseded ones).
 */

const ID = 'support';
const CONTENT_A = JSON.stringify({ messages: ['You answer for Acme Cloud.'] });
const CONTENT_B = JSON.stringify({ messages: ['You answer for Acme Cloud Inc.'] });
const file = (canonical: string): PromptFile =>
  ({ id: ID, version: '1.2.0', hash: sha256Hex(canonical), canonical, file: 'prompts/support/1.2.0.yaml', data: { description: 'draft', author: 'ana' }, locate: () => ({ line: 1, col: 1 }) }) as unknown as PromptFile;

/** A finished run of `promptHash` and the tested mark it earns (event #1 for content A). */
async function testedOn(reg: Registry, id: string, promptHash: string): Promise<void> {
  await reg.createRun({
    id, invocationId: `inv-${id}`, inputsKey: `inputs-${id}`, promptId: ID, version: '1.2.0', promptHash, suite: 'faq', suiteKind: 'golden',
    suiteHash: 'sh', model: 'llama', server: 'http://127.0.0.1:8000/v1', promptctlVersion: '0.1.0', startedAt: '2025-03-01T12:00:00.000Z',
  });
  await reg.finishRun(id, 'finished', { cases: 1, passed: 1, failed: 0, errored: 0, notRun: 0, samples: 1, passRate: 1, verdict: 'passed', latencyP50: 1, latencyP95: 1, latencyP99: 1, tokensIn: 1, tokensOut: 1, piiLeaks: 0 }, '2025-03-01T12:00:00.000Z');
  await reg.markTested({ promptId: ID, version: '1.2.0', contentHash: promptHash, model: 'llama', actor: 'ana', suites: [{ suite: 'faq', kind: 'golden', passRate: 1, runId: id }] });
}

/** Draft content A tested (#1), superseded by B (#2), B tested (#3): A is kept as superseded. */
async function revisedDraft(store: FreshRegistry): Promise<Registry> {
  const reg = store.open();
  await settleVersions(reg, [file(CONTENT_A)], { actor: 'ana' }, undefined);
  await testedOn(reg, 'run-a', sha256Hex(CONTENT_A));
  await settleVersions(reg, [file(CONTENT_B)], { actor: 'ana' }, undefined);
  await testedOn(reg, 'run-b', sha256Hex(CONTENT_B));
  return reg;
}

/** SQL on superseded_versions with its append-only triggers out of the way, as an owner could. */
function unguarded(backend: BackendCase, store: FreshRegistry, statement: string): Promise<void> {
  const off = backend.name === 'sqlite' ? 'DROP TRIGGER superseded_versions_no_update; DROP TRIGGER superseded_versions_no_delete;' : 'ALTER TABLE superseded_versions DISABLE TRIGGER USER;';
  return store.sql(`${off} ${statement}`);
}

describe.each(backends())('$name registry: audit verify and the earlier contents of drafts', (backend) => {
  const { store, test } = freshPerTest(backend);

  test('an intact revised draft verifies, and its earlier content is listed', async () => {
    const reg = await revisedDraft(store);
    expect(await verifyRecords(reg)).toMatchObject({ ok: true, events: 3 });
    expect((await reg.listSupersededVersions()).map((v) => `${v.promptId}@${v.version}#${v.contentHash}:${v.content}`)).toEqual([`${ID}@1.2.0#${sha256Hex(CONTENT_A)}:${CONTENT_A}`]);
  });

  test('an earlier content rewritten under its hash does not verify', async () => {
    const reg = await revisedDraft(store);
    await unguarded(backend, store, "UPDATE superseded_versions SET content = replace(content, 'Acme Cloud', 'Evil Corp')");
    const verdict = await verifyRecords(reg);
    expect(verdict.ok).toBe(false);
    expect(verdict.broken?.problem).toMatch(/^a superseded \(earlier\) content of the draft support@1\.2\.0 hashes to sha256:[0-9a-f]{12}…, not the sha256:[0-9a-f]{12}… it was registered with: the row was edited in the database$/);
  });

  test('an earlier content deleted does not verify: the tested and supersede events name it', async () => {
    const reg = await revisedDraft(store);
    await unguarded(backend, store, 'DELETE FROM superseded_versions');
    const verdict = await verifyRecords(reg);
    expect(verdict.ok).toBe(false);
    expect(verdict.broken).toMatchObject({ seq: 1, kind: 'record' });
    expect(verdict.broken?.problem).toBe(`event 1: its tested event names content sha256:${sha256Hex(CONTENT_A).slice(0, 12)}… of support@1.2.0, which the registry no longer holds (neither as the version's content nor among a draft's earlier contents): the row was deleted`);
  });
});
