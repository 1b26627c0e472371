import { describe, expect, it } from 'vitest';
import { editedAfterReleaseHint, editedAfterReleaseMessage, releasedHashOf, versionState } from '../../src/core/version-state.js';

/** The one rule for what a version file may hold: draft until its first deploy, released after. */

describe('versionState', () => {
  it.each([
    ['never deployed: a draft, any content', { fileHash: 'b', releasedIn: [] }, { state: 'draft', allowed: true }],
    ['never deployed, whatever was registered', { fileHash: 'b', releasedIn: [], releasedHash: 'a' }, { state: 'draft', allowed: true }],
    ['deployed by events that name no content, never registered: released, nothing to differ from', { fileHash: 'b', releasedIn: ['staging'] }, { state: 'released', allowed: true, releasedHash: 'b', releasedIn: ['staging'] }],
    ['deployed with this content', { fileHash: 'a', releasedIn: ['staging'], releasedHash: 'a' }, { state: 'released', allowed: true, releasedHash: 'a', releasedIn: ['staging'] }],
    ['deployed with other content: edited after release', { fileHash: 'b', releasedIn: ['staging', 'production'], releasedHash: 'a' }, { state: 'released', allowed: false, releasedHash: 'a', releasedIn: ['staging', 'production'] }],
  ])('%s', (_name, facts, verdict) => {
    expect(versionState(facts)).toEqual(verdict);
  });
});

describe('releasedHashOf', () => {
  it('takes the first environment event that names a content hash, else the registered one (events from before hashes)', () => {
    expect(releasedHashOf([{}, { contentHash: 'a' }, { contentHash: 'b' }], 'r')).toBe('a');
    expect(releasedHashOf([{}], 'r')).toBe('r');
    expect(releasedHashOf([], undefined)).toBeUndefined();
  });
});

describe('the words', () => {
  it('name the version, where it was released, and the new version to make', () => {
    expect(editedAfterReleaseMessage({ id: 'p', version: '1.2.0', releasedIn: ['staging'] })).toBe('p@1.2.0 was edited after it was released (deployed to staging)');
    // The edit is kept first (copied from the edited version, not the highest), then the file restored.
    expect(editedAfterReleaseHint({ id: 'p', version: '1.2.0', file: 'prompts/p/1.2.0.yaml' })).toBe(
      'first keep the change in a new version: promptctl new p@1.2.0 (copies the edited file to the next free version number); then restore prompts/p/1.2.0.yaml: git checkout -- prompts/p/1.2.0.yaml',
    );
    expect(editedAfterReleaseHint({ id: 'p', version: '1.2.0', file: 'prompts/p/1.2.0.yaml', restore: 'git checkout main -- prompts/p/1.2.0.yaml' })).toMatch(/; then restore prompts\/p\/1\.2\.0\.yaml: git checkout main -- prompts\/p\/1\.2\.0\.yaml$/);
    // Content the checkout's commit holds is no edit to restore: it moves to the number named.
    const origin = { kind: 'committed' as const, checkout: 'branch feat-b at 1a2b3c4', next: '1.2.1' };
    expect(editedAfterReleaseMessage({ id: 'p', version: '1.2.0', releasedIn: ['staging'], origin })).toBe('p@1.2.0 in this checkout (branch feat-b at 1a2b3c4) holds other content than it was released with (deployed to staging)');
    expect(editedAfterReleaseHint({ id: 'p', version: '1.2.0', file: 'prompts/p/1.2.0.yaml', origin })).toBe(
      'prompts/p/1.2.0.yaml is as branch feat-b at 1a2b3c4 committed it, not an edit here, so git checkout -- prompts/p/1.2.0.yaml would change nothing. ' +
        'To keep this content, move it to the next free number, 1.2.1: promptctl new p@1.2.0 copies it there; ' +
        'then take prompts/p/1.2.0.yaml from the commit or branch that holds the released content (git checkout <commit or branch> -- prompts/p/1.2.0.yaml). ' +
        'Or check out that commit to work from what was released',
    );
    expect(editedAfterReleaseHint({ id: 'p', version: '1.2.0', file: 'prompts/p/1.2.0.yaml', origin: { kind: 'uncommitted', next: '1.2.2' } })).toMatch(/^first keep the change in a new version: promptctl new p@1\.2\.0 \(copies the edited file to the next free version number, 1\.2\.2\);/);
    expect(editedAfterReleaseHint({ id: 'p', version: '1.2.0' })).toBe('first keep the change in a new version: promptctl new p@1.2.0 (copies the edited file to the next free version number)');
  });
});
