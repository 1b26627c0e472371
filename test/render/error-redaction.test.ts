import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { buildReportData } from '../../src/render/html/model.js';
import { toJUnitXml } from '../../src/render/junit.js';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { fixtureReport } from './fixtures.js';

/**
 * A server's error body may echo the request it refused: an input's personal data, or the canary
 * planted in an adversarial prompt. The shared reports (JUnit, the Markdown summary, the HTML
 * report) mask those in a sample's error as the terminal does (core/detectors/redact.ts
 * redactServerError), and keep the server's own address readable: before, JUnit and the HTML
 * report copied the error as it was, and the Markdown summary masked the server's IP address too.
 */

const SERVER = 'http://10.20.30.40:8000/v1';
const ERROR = `HTTP 400 from ${SERVER}: invalid request {"messages":[{"role":"user","content":"Reply to jane.doe@example.com"}]}`;

function withEchoingError(): EvalReport {
  const report = fixtureReport();
  for (const run of report.runs) for (const c of run.cases) for (const s of c.samples) if (s.verdict === 'error') s.error = ERROR;
  return report;
}

describe("a sample's error in the shared reports", () => {
  const report = withEchoingError();
  const html = JSON.stringify(buildReportData({ outcomes: report.runs } as Parameters<typeof buildReportData>[0]));
  it.each([
    ['JUnit', toJUnitXml(report)],
    ['the Markdown summary', toMarkdownSummary(report)],
    ['the HTML report', html],
  ])('%s masks the personal data it echoes and keeps the server address', (_, text) => {
    expect(text).toContain('HTTP 400 from');
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).toContain(SERVER);
  });
});
