import type { Reporter, SerializedError, TestModule, Vitest } from 'vitest/node';

/**
 * Prints, as the very last line of a run, exactly `tests: N passed, N failed` (plus `, N skipped`
 * when any test was skipped or marked todo). CI reads this line, so keep the format stable.
 *
 * A test file that fails outside any test (an import error, a failing hook) and an unhandled
 * error each count as one failure, so the line never reads "0 failed" for a red run.
 */
export default class SummaryReporter implements Reporter {
  private vitest?: Vitest;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>): Promise<void> {
    const line = summaryLine(countTests(modules, errors.length));
    // The default reporter prints its summary in the (deprecated) onFinished hook, which vitest
    // calls right after this one; wait a macrotask so this line comes after it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.vitest) this.vitest.logger.log(line);
    else process.stdout.write(`${line}\n`);
  }
}

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export function countTests(modules: ReadonlyArray<TestModule>, unhandledErrors = 0): TestCounts {
  const counts: TestCounts = { passed: 0, failed: unhandledErrors, skipped: 0 };
  for (const m of modules) {
    let failedHere = 0;
    for (const t of m.children.allTests()) {
      const state = t.result().state;
      if (state === 'passed') counts.passed++;
      else if (state === 'failed') failedHere++;
      else counts.skipped++;
    }
    if (failedHere === 0 && m.state() === 'failed') failedHere = 1;
    counts.failed += failedHere;
  }
  return counts;
}

export function summaryLine(c: TestCounts): string {
  return `tests: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
}
