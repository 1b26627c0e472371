import { describe, expect, it } from 'vitest';
import { gitMemosInUse, remembered, withGitMemo } from '../../src/infra/git-memo.js';

/** git's answers are kept for one command only: a library user or a test worker runs many in one process. */
describe('withGitMemo', () => {
  it('keeps an answer (or an error) for the command, shares it with a command run inside, and forgets it after', async () => {
    let asked = 0;
    const ask = () => remembered(['q'], () => ++asked);
    await withGitMemo(async () => {
      expect(ask()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1));
      // ci runs eval: one command.
      expect(await withGitMemo(async () => ask())).toBe(1);
      let failures = 0;
      const fail = () => remembered(['bad'], () => {
        failures++;
        throw new Error('git failed');
      });
      expect(fail).toThrow('git failed');
      expect(fail).toThrow('git failed');
      expect(failures).toBe(1);
    });
    // The next command asks again, as does anything outside a command.
    expect(ask()).toBe(2);
    expect(withGitMemo(() => ask())).toBe(3);
  });

  it('keeps two commands running at once apart', async () => {
    const one = withGitMemo(async () => {
      remembered(['q'], () => 'one');
      await new Promise((resolve) => setTimeout(resolve, 5));
      return remembered(['q'], () => 'again');
    });
    const two = withGitMemo(async () => remembered(['q'], () => 'two'));
    expect(await Promise.all([one, two])).toEqual(['one', 'two']);
  });

  it('ends its storage when the last memo ends, however it ends: no promise of an eval pays for a finished one', async () => {
    expect(gitMemosInUse()).toBe(0);
    withGitMemo(() => expect(gitMemosInUse()).toBe(1));
    expect(gitMemosInUse()).toBe(0);
    expect(() => withGitMemo(() => {
      throw new Error('sync');
    })).toThrow('sync');
    expect(gitMemosInUse()).toBe(0);
    const running = withGitMemo(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(gitMemosInUse()).toBe(1);
      throw new Error('async');
    });
    expect(gitMemosInUse()).toBe(1);
    await expect(running).rejects.toThrow('async');
    expect(gitMemosInUse()).toBe(0);
    // A memo made after the storage was disabled works as the first one did.
    expect(withGitMemo(() => [remembered(['x'], () => 1), remembered(['x'], () => 2)])).toEqual([1, 1]);
  });
});
