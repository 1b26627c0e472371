import { describe, expect, it } from 'vitest';
import { pruneCacheText } from '../../src/render/registry-admin-text.js';

/** `registry prune-cache`: nothing to remove reads the same with --dry-run as without, never "would remove 0". */
describe('prune-cache with nothing to remove', () => {
  const base = { backend: 'sqlite' as const, location: '/p/.promptctl/registry.db', answers: 0, bytes: 0 };
  it.each([
    [{ ...base, dryRun: true }, 'nothing to remove: no cached answers in /p/.promptctl/registry.db (sqlite) (--dry-run)'],
    [{ ...base, dryRun: false }, 'nothing to remove: no cached answers in /p/.promptctl/registry.db (sqlite)'],
    [{ ...base, dryRun: true, before: '2026-01-01T00:00:00.000Z' }, 'nothing to remove: no answers cached before 2026-01-01T00:00:00.000Z in /p/.promptctl/registry.db (sqlite) (--dry-run)'],
  ])('%j', (report, line) => {
    expect(pruneCacheText(report)).toEqual([line]);
  });

  it('a dry run with answers says what would go', () => {
    expect(pruneCacheText({ ...base, answers: 2, bytes: 10, dryRun: true })).toEqual(['would remove 2 cached answers (10 bytes): every cached answer, from /p/.promptctl/registry.db (sqlite); nothing was removed (--dry-run)']);
  });
});
