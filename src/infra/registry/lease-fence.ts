import { UnavailableError } from '../../core/errors.js';
import type { SampleResult } from '../../core/schemas/run.js';

/**
 * The fence on an eval's sample writes (`Registry.recordSamples`'s `fence`): a run's samples are
 * written only while `holder` still holds its lease. An eval that stalled past its lease's expiry
 * (a laptop asleep, a process stopped) and was taken over may wake with answers in flight; checked
 * in the write itself, its late answers can never replace the samples of the eval that took the
 * run over, whose verdict and tested mark rest on them. Renewing the lease first would leave a gap.
 */
export interface SampleFence {
  holder: string;
}

/** The runs a batch writes to, each once, in the batch's order. */
export function runIdsOf(samples: readonly SampleResult[]): string[] {
  return [...new Set(samples.map((s) => s.runId))];
}

/**
 * A fenced write found a run's lease held by another eval: the rest of the batch was written, and
 * none of that run's samples. Exit 3 like any lost lease; the eval turns it into its own message
 * with the run's names (run-leases.ts leaseLostError).
 */
export class LeaseNotHeldError extends UnavailableError {
  override name = 'LeaseNotHeldError';
  constructor(
    readonly runId: string,
    holder: string,
  ) {
    super({
      message: `the samples of run ${runId} were not written: ${holder} no longer holds its lease`,
      why: 'another eval took the run over after this one\'s lease expired unrenewed, and only the lease\'s holder writes a run\'s samples',
      hint: 'let the other eval finish the run; run this command with --resume afterwards to send anything still missing',
    });
  }
}
