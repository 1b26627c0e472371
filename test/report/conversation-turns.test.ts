import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeReportData } from '../../src/render/html/compact.js';
import type { ReportData } from '../../src/render/html/model.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, removeProjectFile, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorForFile } from '../support/simulator.js';

/**
 * A conversation case's turns in every report (HTML, Markdown, JUnit, the terminal's failure list):
 * the case's own turns as inputs, and the model's earlier replies beside the final output, redacted
 * and escaped as outputs are. The case asks about support hours, then follows up about shipping.
 */

const sim = simulatorForFile();

const SUITE = [
  'prompt: support-answer',
  'versions: ">=1.0.0"',
  'kind: golden',
  'threshold: 0',
  'cases:',
  '  - id: follow-up',
  '    vars: { question: "What are your support hours?" }',
  '    messages:',
  '      - role: assistant',
  '      - role: user',
  '        content: "And how long does standard shipping take?"',
  '    expect:',
  '      - icontains: "refund"',
  '  - id: shared-turn',
  '    vars: { question: "What are your support hours?" }',
  '    messages:',
  '      - role: assistant',
  '        content: "We answer at jane.doe@example.com"',
  '      - role: user',
  '        content: "Mail \\u202e me at {{question}} or jane.doe@example.com"',
  '    expect:',
  '      - icontains: "refund"',
  '',
].join('\n');

function htmlData(file: string): ReportData {
  const html = readFileSync(file, 'utf8');
  return decodeReportData(JSON.parse(html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!));
}

describe('conversation turns in reports', () => {
  it("every report shows the case's turns as inputs and the model's earlier replies beside the output", async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-conversation-report-');
    removeProjectFile(dir, 'evalsets/support-answer/golden.yaml');
    removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
    writeProjectFile(dir, 'evalsets/support-answer/conv.yaml', SUITE);
    const ev = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'conv', '--junit', 'j.xml', '--summary', 's.md'], { cwd: dir, env });
    expect(ev.code, ev.output).toBe(0);
    const rep = await runCliInProcess(['report', '-o', 'r.html'], { cwd: dir, env });
    expect(rep.code, rep.output).toBe(0);
    const md = readFileSync(path.join(dir, 's.md'), 'utf8');
    const junit = readFileSync(path.join(dir, 'j.xml'), 'utf8');
    const data = htmlData(path.join(dir, 'r.html'));

    // The terminal's failure list: the inputs line carries the turns.
    expect(ev.output).toContain("inputs: question: What are your support hours? · assistant turn 1: (the model's reply) · user turn: And how long does standard shipping take?");
    // JUnit: the turns as inputs, the earlier reply before the final output.
    expect(junit).toContain("inputs: question: What are your support hours? · assistant turn 1: (the model's reply) · user turn: And how long does standard shipping take?");
    expect(junit).toMatch(/ {2}assistant turn 1: \{"answer":"Support hours are Monday to Friday, 9am to 5pm CET\."\}\n {2}output: \{"answer":"Standard shipping takes/);
    // Markdown: within its cells' cut, the follow-up in the inputs and the earlier reply after the output.
    const row = md.split('\n').find((l) => l.includes('`follow-up`'))!;
    expect(row).toContain('· user turn: And how long does standard');
    expect(row).toContain('{"answer":"Standard shipping takes 3 to 5 business days."} · assistant turn 1: {"answer":"Support hours');
    // HTML: the turns as inputs and by role (for the rendered messages), the earlier reply on the side.
    const c = data.cases.find((x) => x.caseId === 'follow-up')!;
    expect(c.inputs).toEqual([
      { name: 'question', value: 'What are your support hours?' },
      { name: 'assistant turn 1', value: "(the model's reply)" },
      { name: 'user turn', value: 'And how long does standard shipping take?' },
    ]);
    expect(c.turns).toEqual([{ role: 'assistant' }, { role: 'user', content: 'And how long does standard shipping take?' }]);
    expect(c.a.turns).toEqual([{ output: '{"answer":"Support hours are Monday to Friday, 9am to 5pm CET."}' }]);

    // A turn's text is redacted and its bidi control shown escaped, as outputs are, in every report.
    const shared = data.cases.find((x) => x.caseId === 'shared-turn')!;
    expect(shared.inputs!.slice(1)).toEqual([
      { name: 'assistant turn (written)', value: 'We answer at ja**********om' },
      { name: 'user turn', value: 'Mail \\u{202e} me at What are your support hours? or ja**********om' },
    ]);
    expect(shared.turns![1]!.content).toBe('Mail \\u{202e} me at What are your support hours? or ja**********om');
    for (const text of [md, junit, readFileSync(path.join(dir, 'r.html'), 'utf8')]) {
      expect(text).not.toContain('jane.doe@example.com');
      expect(text).not.toContain('\u202e');
    }
    expect(junit).toContain('user turn: Mail \\u{202e} me at What are your support hours? or ja**********om');
  });
});
