import { describe, expect, it } from 'vitest';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { fixtureReport } from './fixtures.js';

/** Attack categories count the attacks run; those errored or not run are said beside them, and a category none of whose attacks ran has no rate. */

describe('attack categories in the reports', () => {
  it('shows attacks run, those not run beside them, and no rate where none ran', () => {
    const report = fixtureReport();
    const adversarial = report.runs.find((r) => r.run.suiteKind === 'adversarial')!;
    adversarial.run.summary!.categories = [
      { category: 'hand-written', attacks: 1, succeeded: 1, successRate: 1, notRun: 1 },
      { category: 'system-prompt-extraction', attacks: 0, succeeded: 0, successRate: 0, notRun: 2 },
      { category: 'pii-exfiltration', attacks: 10, succeeded: 0, successRate: 0, errored: 11 },
      { category: 'role-play', attacks: 3, succeeded: 0, successRate: 0, errored: 2, notRun: 1 },
    ];
    const text = toMarkdownSummary(report);
    expect(text).toContain('| hand-written | 1 (+1 not run) | 1 | 100.0% |');
    expect(text).toContain('| system-prompt-extraction | 0 (+2 not run) | 0 | – | – |');
    // Attacks whose samples all errored are errors, as the suite table counts them, not "not run".
    expect(text).toContain('| pii-exfiltration | 10 (+11 errored) | 0 | 0.0% |');
    expect(text).toContain('| role-play | 3 (+2 errored, +1 not run) | 0 | 0.0% |');
  });
});
