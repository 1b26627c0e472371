import type { LockHolder } from './postgres/lock-wait.js';
import type { Copied, PushProgress } from './push-outcome.js';

/** What `registry push` tells a person watching while it works (PushProgress); the words are render's. */

type Told = (e: PushProgress) => void;

/** pushTurn's `onWaiting`, when someone listens: the holder of the turn and the wait in force. */
export function turnProgress(onProgress: Told | undefined): { onWaiting?: (holder: LockHolder | undefined, waitsAtMost: string) => void } {
  if (!onProgress) return {};
  return { onWaiting: (holder, waitsAtMost) => onProgress({ type: 'waiting-turn', ...(holder ? { holder } : {}), waitsAtMost }) };
}

/**
 * Tells how far the copy of runs has got, at each tenth of them, when it takes more than one batch
 * (a small push says nothing until its summary): the person watching a large push sees it move.
 */
export function runsProgress(onProgress: Told | undefined, total: number): (runs: Copied, samples: Copied, last: boolean) => void {
  let tenths = 0;
  let batches = 0;
  return (runs, samples, last) => {
    batches++;
    const done = runs.pushed + runs.already;
    const now = Math.floor((done * 10) / Math.max(1, total));
    if (!onProgress || (last && batches === 1) || now <= tenths) return;
    tenths = now;
    onProgress({ type: 'runs-copied', done, total, samples: samples.pushed + samples.already });
  };
}
