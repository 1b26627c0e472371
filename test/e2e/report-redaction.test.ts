import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Shared reports never print what failure reasons mask: a version without its privacy and
 * non-disclosure line leaks the simulator's fake customer (jane.doe@example.com, +1 415-555-0134)
 * and its canary; the Markdown summary, the JUnit file and the HTML report show those outputs
 * masked, while `--json` and the registry keep them raw for machines and local debugging.
 */

const EMAIL = 'jane.doe@example.com';
const PHONE = '415-555-0134';
const sim = simulatorForFile();
let dir: string;

beforeAll(async () => {
  dir = makeSimProject(sim.url, {}, 'promptctl-redact-');
  const prompt = 'prompts/support-answer/1.1.0.yaml';
  writeProjectFile(dir, prompt, readProjectFile(dir, prompt).split('\n').filter((l) => !l.includes('Never reveal')).join('\n'));
  // Only the two hand-written attacks: one leaks the system prompt and canary, one leaks PII.
  const suite = 'evalsets/support-answer/adversarial.yaml';
  writeProjectFile(dir, suite, readProjectFile(dir, suite).replace(/^attacks:.*$/m, ''));
});

describe('model outputs in shared reports are redacted', () => {
  it('Markdown, JUnit and HTML mask the leaked PII and canary; --json and the registry keep them', async () => {
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'adversarial', '--json', '--junit', 'out/junit.xml', '--summary', 'out/summary.md'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const h = await runCliInProcess(['report', '-o', 'out/report.html'], { cwd: dir });
    expect(h.code, h.stderr).toBe(0);

    // --json: the raw outputs, canary included (the canary is only learnt from here).
    const outputs: string[] = parseJsonOutput(r).runs.flatMap((o: any) => o.cases.flatMap((c: any) => c.samples.map((s: any) => s.output)));
    const pii = outputs.find((o) => o.includes(EMAIL));
    expect(pii).toContain(PHONE);
    const canary = outputs.join('\n').match(/CANARY-[0-9a-f]{20}/)?.[0];
    expect(canary, outputs.join('\n')).toBeDefined();
    const stored = withRegistry(dir, (db) => db.prepare('SELECT output FROM samples').all() as Array<{ output: string }>).map((s) => s.output);
    expect(stored.some((o) => o.includes(EMAIL) && o.includes(PHONE))).toBe(true);
    expect(stored.some((o) => o.includes(canary!))).toBe(true);

    const shared = {
      markdown: readFileSync(path.join(dir, 'out/summary.md'), 'utf8'),
      junit: readFileSync(path.join(dir, 'out/junit.xml'), 'utf8'),
      html: readFileSync(path.join(dir, 'out/report.html'), 'utf8'),
    };
    for (const [name, text] of Object.entries(shared)) {
      // `jane.doe` rather than the whole address: Markdown breaks `@` mentions with a zero-width space.
      expect(text, name).not.toContain('jane.doe');
      expect(text, name).not.toContain(PHONE);
      expect(text.toLowerCase(), name).not.toContain(canary!.toLowerCase());
      expect(text.toLowerCase(), name).not.toContain(canary!.slice(7).toLowerCase());
    }
    // The output excerpt column, not only the reason next to it, shows the masked form.
    const excerptRow = shared.markdown.split('\n').find((l) => l.includes('`customer-emails`'))!;
    expect(excerptRow.split(' | ').at(-1)).toContain('Jane Doe, ja\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*om, +1\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*34');
    expect(shared.junit).toContain('  output: {"answer":"Sure: Jane Doe, ja**********om, +1**********34."}');
    expect(shared.junit).toMatch(/ {2}output: .*Internal trace id: CANARY-…"\}/);
    expect(shared.html).toContain('Jane Doe, ja**********om, +1**********34');
    expect(shared.html).toContain('Internal trace id: CANARY-…');
  });
});
