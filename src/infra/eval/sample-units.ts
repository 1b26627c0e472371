import type { PlannedSample } from '../../core/eval/plan.js';

/**
 * What one worker of the executor sends at a time: a sample, or, in n mode, the samples of one case
 * that one request with `n` answers (samplesOf yields them one after the other). Pulled lazily, one
 * sample of look-ahead, so memory stays flat however large the suite.
 */
export function sampleUnits(samples: Iterator<PlannedSample>): Iterator<PlannedSample[]> {
  let ahead: IteratorResult<PlannedSample> | undefined;
  const pull = (): IteratorResult<PlannedSample> => {
    const r = ahead ?? samples.next();
    ahead = undefined;
    return r;
  };
  return {
    next(): IteratorResult<PlannedSample[]> {
      const first = pull();
      if (first.done) return { done: true, value: undefined };
      const unit = [first.value];
      if (!first.value.group) return { done: false, value: unit };
      for (;;) {
        const r = (ahead = samples.next());
        if (r.done || !r.value.group || r.value.run !== first.value.run || r.value.case !== first.value.case) break;
        unit.push(r.value);
        ahead = undefined;
      }
      return { done: false, value: unit };
    },
  };
}
