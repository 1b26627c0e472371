import { describe, expect, it } from 'vitest';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { fixtureReport } from './fixtures.js';

/**
 * A "not tested" mark line in the Markdown summary says every suite that kept the mark away, as the
 * terminal does; it was cut at a table cell's 200 characters, dropping the suite that failed.
 */

describe('the Markdown summary of a version not tested', () => {
  it('keeps a reason of several suites whole, up to the failed one and its pass rate', () => {
    const report = fixtureReport();
    const reason =
      "suite 'adversarial' has no complete run on sim-model with the current content and settings; suite 'golden' has no complete run on sim-model with the current content and settings; suite 'weird' failed (pass rate 33.3%, threshold 50.0%)";
    report.versions = [{ promptId: 'support-answer', version: '2.0.0', tested: false, reason }];
    expect(toMarkdownSummary(report)).toContain("suite 'weird' failed (pass rate 33.3%, threshold 50.0%)\n");
  });
});
