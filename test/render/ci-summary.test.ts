import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CiResult } from '../../src/core/ci/result.js';
import type { Problem } from '../../src/core/errors.js';
import { ciJUnit, ciMarkdown, headline } from '../../src/render/ci-summary.js';
import { ciText } from '../../src/render/ci-text.js';

/** `promptctl ci` stopped by a typed error: the summary and JUnit still say what happened. */

function problem(file: string, i: number): Problem {
  return { file, line: i + 1, col: 1, field: `cases.${i}`, message: `case ${i} cannot be rendered`, severity: 'error' };
}

function stopped(problems: Problem[]): CiResult {
  return {
    base: 'origin/main',
    baseline: 'production',
    plan: { lintFiles: [], evaluate: [{ ref: 'support-answer@1.2.0', why: 'new version', candidate: true }], coveringSuites: [], editedVersions: [], renamed: [], deletedVersions: [], sameContent: [], deleted: [], configChanged: false, nothingChanged: false },
    lint: { files: 0, errors: 0, warnings: 0, problems: [] },
    notEvaluated: [],
    diffs: [],
    informational: [],
    noBaseline: [],
    revised: [],
    error: { error: 'BadInput', exitCode: 2, message: 'some cases cannot be rendered', hint: 'set every required variable', problems },
    verdict: 'error',
    exitCode: 2,
  };
}

describe('ci summary for a typed error', () => {
  const problems = [...Array.from({ length: 70 }, (_, i) => problem('evalsets/a/adversarial.yaml', i)), ...Array.from({ length: 10 }, (_, i) => problem('evalsets/a/golden.yaml', i))];

  it('caps the problems in Markdown and says how many there are', () => {
    const md = ciMarkdown(stopped(problems));
    expect(md).toMatch(/^## ❌ promptctl ci: bad input \(exit 2\)\n/);
    expect(md).toContain('**What happened:** some cases cannot be rendered');
    expect(md).toContain('**What to do:** set every required variable');
    expect(md).toContain('### Problems: 80');
    expect(md.match(/^- ❌ /gm)).toHaveLength(50);
    expect(md).toContain('…and 30 more problems (80 in all');
    // Nothing ran: not listed as evaluated.
    expect(md).not.toContain('### Evaluated');
    expect(md).toContain('`support-answer@1.2.0` (new version): no verdict: the error stopped ci before it judged this version');
  });

  it('writes a failing JUnit case per file with problems, or one for the error itself', () => {
    const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml);
    const doc = parse(ciJUnit(stopped(problems)));
    const ci = doc.testsuites.testsuite.find((s: { name: string }) => s.name === 'ci');
    expect(ci.testcase.map((c: { name: string }) => c.name)).toEqual(['evalsets/a/adversarial.yaml', 'evalsets/a/golden.yaml']);
    expect(ci.failures).toBe('2');
    expect(doc.testsuites.failures).toBe('2');
    const bare = parse(ciJUnit(stopped([]))).testsuites.testsuite.find((s: { name: string }) => s.name === 'ci');
    expect(bare.testcase).toHaveLength(1);
    expect(bare.testcase[0].failure['#text']).toMatch(/some cases cannot be rendered\nhint: set every required variable\n\(exit 2\)/);
  });
});

describe('an empty --base (a CI variable that was unset)', () => {
  it.each([
    ['', 'production', 'base (empty), baseline production', 'Base (empty) · baseline environment `production`'],
    ['origin/main', '', 'base origin/main', 'Base `origin/main`\n'],
  ])('base %j, baseline %j: text %j', (base, baseline, text, markdown) => {
    const r = { ...stopped([]), base, baseline };
    expect(ciText(r, { color: false })[1]).toBe(text);
    expect(ciMarkdown(r)).toContain(markdown);
  });
});

describe('the audit head ci read', () => {
  const line = 'audit head: 7:abc (keep it; `promptctl audit verify --since 7:abc` checks the log still extends it)';
  it.each([
    ['nothing changed', { verdict: 'nothing-changed', exitCode: 0, error: undefined, plan: { ...stopped([]).plan, evaluate: [], nothingChanged: true } }],
    ['a stop', {}],
  ] as [string, Partial<CiResult>][])('%s: the text ends with it, as the Markdown shows it', (_, over) => {
    const r: CiResult = { ...stopped([]), ...over, auditHead: '7:abc' };
    expect(ciText(r, { color: false }).at(-1)).toBe(line);
    expect(ciMarkdown(r)).toContain('Audit log head `7:abc`');
  });
});

describe('ci summary hints and JUnit root', () => {
  const down = (): CiResult => ({
    ...stopped([]),
    error: {
      error: 'ServerUnavailable',
      exitCode: 3,
      message: 'cannot reach <http://127.0.0.1:9>',
      hint: 'start the server with `vllm serve <model>` (or `npx promptctl-sim`), then run ci again; see *README*',
      problems: [],
    },
    exitCode: 3,
  });

  it('keeps promptctl\'s own `code` spans as inline code, unescaped inside, and escapes the rest', () => {
    const md = ciMarkdown(down());
    expect(md).toContain('**What to do:** start the server with `vllm serve <model>` (or `npx promptctl-sim`), then run ci again; see \\*README\\*');
    expect(md).toContain('**What happened:** cannot reach &lt;http://127.0.0.1:9&gt;');
    expect(md).not.toContain('\\`');
  });

  it('an unpaired backtick stays escaped text', () => {
    const md = ciMarkdown({ ...down(), error: { ...down().error!, hint: 'a lone ` backtick <b>' } });
    expect(md).toContain('**What to do:** a lone \\` backtick &lt;b&gt;');
  });

  it('writes an unreachable server (exit 3) as an <error>, not a failure', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(ciJUnit(down()));
    const ci = doc.testsuites.testsuite.find((s: { name: string }) => s.name === 'ci');
    expect(ci.failures).toBe('0');
    expect(ci.errors).toBe('1');
    expect(ci.testcase[0].failure).toBeUndefined();
    expect(ci.testcase[0].error['#text']).toMatch(/cannot reach <http:\/\/127\.0\.0\.1:9>[\s\S]*\(exit 3\)/);
    expect(doc.testsuites.errors).toBe('1');
  });

  it('names the JUnit root "promptctl ci"', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(ciJUnit(down()));
    expect(doc.testsuites.name).toBe('promptctl ci');
  });
});

describe('ci summary: names and commands copy as typed', () => {
  it.each([
    { what: 'a base branch with an underscore', r: { base: 'dev_base' }, shown: 'Base `dev_base` · baseline environment `production`' },
    { what: 'a gate line naming a command', r: { policy: [{ ref: 'echo@1.0.0', env: 'production', failures: ['no adversarial run counts: run `promptctl eval echo@1.0.0`'] }] }, shown: '- ❌ `echo@1.0.0`: no adversarial run counts: run `promptctl eval echo@1.0.0`' },
    { what: 'a sentence around its command is still escaped', r: { informational: [{ ref: 'a@1.0.0', env: 'production', baselineVersion: '0.9.0', regressions: ['@team *dropped*, run `promptctl eval a@1.0.0 | tee x`'] }] }, shown: '@&#8203;team \\*dropped\\*, run `promptctl eval a@1.0.0 \\| tee x`' },
  ])('$what', ({ r, shown }) => {
    const md = ciMarkdown({ ...stopped([]), error: undefined, verdict: 'gate-failed', exitCode: 1, ...r } as CiResult);
    expect(md).toContain(shown);
    expect(md).not.toContain('\\_');
  });
});

describe('ci summary for an interrupted run', () => {
  const interrupted = (runs: number): CiResult => {
    const base = stopped([]);
    const { error: _error, ...rest } = base;
    const report = runs ? ({ runs: Array.from({ length: runs }, () => ({})) } as unknown as CiResult['report']) : undefined;
    return { ...rest, verdict: 'interrupted', exitCode: 130, ...(report ? { report } : {}) };
  };

  it('says the answers so far are kept only when its eval recorded a run; stopped before, that nothing was', () => {
    expect(ciText(interrupted(0), { color: false })[0]).toBe('promptctl ci: interrupted (exit 130); no case was sent and nothing was recorded');
    expect(ciMarkdown(interrupted(0))).toMatch(/^## ⏹️ promptctl ci: interrupted \(exit 130\); no case was sent and nothing was recorded\n/);
    expect(headline(interrupted(2))).toBe('⏹️ promptctl ci: interrupted (exit 130); the answers so far are recorded, and the next run reuses them');
  });
});
