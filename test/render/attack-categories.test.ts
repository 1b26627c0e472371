import { describe, expect, it } from 'vitest';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { fixtureReport } from './fixtures.js';

/** Attack categories count the attacks run; those not run are said beside them, and a category none of whose attacks ran has no rate. */

describe('attack categories in the reports', () => {
  it('shows attacks run, those not run beside them, and no rate where none ran', () => {
    const report = fixtureReport();
    const adversarial = report.runs.find((r) => r.run.suiteKind === 'adversarial')!;
    adversarial.run.summary!.categories = [
      { category: 'hand-written', attacks: 1, succeeded: 1, successRate: 1, notRun: 1 },
      { category: 'system-prompt-extraction', attacks: 0, succeeded: 0, successRate: 0, notRun: 2 },
    ];
    const text = toMarkdownSummary(report);
    expect(text).toContain('| hand-written | 1 (+1 not run) | 1 | 100.0% |');
    expect(text).toContain('| system-prompt-extraction | 0 (+2 not run) | 0 | – | – |');
  });
});
