import { describe, expect, it } from 'vitest';
import { byVersion, planCi, type ChangeInput, type CiPlan, type ProjectShape } from '../../src/core/ci/plan.js';

/** `planCi`: what a pull request's changed files mean for the gate. Pure, table-driven. */

function shape(): ProjectShape {
  return {
    versions: new Map([
      ['support-answer', ['1.0.0', '1.1.0', '1.2.0', '2.0.0-rc.1']],
      ['summarize', ['0.1.0', '0.2.0']],
    ]),
    suites: [
      { promptId: 'support-answer', name: 'golden', file: 'evalsets/support-answer/golden.yaml', range: '>=1.0.0' },
      { promptId: 'support-answer', name: 'json', file: 'evalsets/support-answer/json.yaml', range: '^1.1.0' },
      { promptId: 'support-answer', name: 'broken-range', file: 'evalsets/support-answer/broken-range.yaml', range: 'not a range' },
      { promptId: 'summarize', name: 'golden', file: 'evalsets/summarize/golden.yml', range: '*' },
      { promptId: 'summarize', name: 'rows', file: 'evalsets/summarize/rows.yaml', range: '>=0.2.0', dataFile: 'data/rows.csv' },
    ],
  };
}

const added = (file: string): ChangeInput => ({ file, status: 'added' });
const modified = (file: string): ChangeInput => ({ file, status: 'modified' });
const deleted = (file: string): ChangeInput => ({ file, status: 'deleted' });

/** What a row expects: any part of the plan; entries to evaluate may leave out fields. */
type Expected = Omit<Partial<CiPlan>, 'evaluate'> & { evaluate?: Array<Partial<CiPlan['evaluate'][number]>> };

const NOTHING: Expected = { lintFiles: [], evaluate: [], editedVersions: [], renamed: [], deletedVersions: [], configChanged: false, nothingChanged: true };

const cases: Array<{ name: string; changes: ChangeInput[]; shape?: ProjectShape; expected: Expected }> = [
  {
    name: 'no changes at all: nothing changed',
    changes: [],
    expected: NOTHING,
  },
  {
    name: 'irrelevant files only: nothing changed, nothing linted',
    changes: [modified('README.md'), added('src/app.ts'), deleted('docs/old.md'), added('prompts/README.md'), added('prompts/support-answer/notes.txt'), deleted('evalsets/x/y/z.yaml')],
    expected: NOTHING,
  },
  {
    name: 'YAML files outside the layout (a sub-folder, an upper-case extension, the top folder): relevant and linted, so lint refuses them',
    changes: [added('evalsets/x/y/z.yaml'), added('prompts/payments/refund-bot/1.0.0.yaml'), modified('prompts/summarize/0.3.0.YAML'), added('prompts/loose.yml')],
    expected: { lintFiles: ['evalsets/x/y/z.yaml', 'prompts/payments/refund-bot/1.0.0.yaml', 'prompts/summarize/0.3.0.YAML', 'prompts/loose.yml'], evaluate: [], nothingChanged: false },
  },
  {
    name: 'version files named against the layout (no semver file name, v-prefixed, build metadata, a folder no prompt id): linted for lint to refuse, never evaluated; deleted, nothing',
    changes: [added('prompts/support-answer/1.4.yaml'), modified('prompts/support-answer/v1.0.0.yaml'), added('prompts/support-answer/1.3.0+b1.yaml'), added('prompts/Order_Bot/1.1.0.yaml'), deleted('prompts/support-answer/1.5.yaml')],
    expected: {
      lintFiles: ['prompts/support-answer/1.4.yaml', 'prompts/support-answer/v1.0.0.yaml', 'prompts/support-answer/1.3.0+b1.yaml', 'prompts/Order_Bot/1.1.0.yaml'],
      evaluate: [],
      editedVersions: [],
      deletedVersions: [],
      deleted: [],
      nothingChanged: false,
    },
  },
  {
    name: "a suite's cases_from file changed or deleted: its suite is linted and the versions it covers evaluated",
    changes: [modified('data/rows.csv')],
    expected: {
      lintFiles: ['evalsets/summarize/rows.yaml'],
      evaluate: [{ ref: 'summarize@0.2.0', why: 'suite rows changed (its cases_from file data/rows.csv)', candidate: true }],
      nothingChanged: false,
    },
  },
  {
    name: 'a data file and its suite changed together: the suite is linted once',
    changes: [modified('evalsets/summarize/rows.yaml'), deleted('data/rows.csv')],
    expected: { lintFiles: ['evalsets/summarize/rows.yaml'], evaluate: [{ ref: 'summarize@0.2.0', why: 'suite rows changed', candidate: true }] },
  },
  {
    name: 'a new version: linted and evaluated',
    changes: [added('prompts/support-answer/1.3.0.yaml')],
    expected: {
      lintFiles: ['prompts/support-answer/1.3.0.yaml'],
      evaluate: [{ ref: 'support-answer@1.3.0', why: 'new version' }],
      editedVersions: [],
      deletedVersions: [],
      configChanged: false,
      nothingChanged: false,
    },
  },
  {
    name: 'a new version and a new suite covering it (listed first): evaluated as a new version, so its revisions are checked',
    changes: [added('evalsets/support-answer/golden.yaml'), added('prompts/support-answer/1.2.0.yaml')],
    expected: { evaluate: [{ ref: 'support-answer@1.0.0', why: 'suite golden changed' }, { ref: 'support-answer@1.1.0', why: 'suite golden changed' }, { ref: 'support-answer@1.2.0', why: 'new version', candidate: true }, { ref: 'support-answer@2.0.0-rc.1', why: 'suite golden changed' }] },
  },
  {
    name: 'a new version with the .yml extension',
    changes: [added('prompts/summarize/0.3.0.yml')],
    expected: { lintFiles: ['prompts/summarize/0.3.0.yml'], evaluate: [{ ref: 'summarize@0.3.0', why: 'new version' }], nothingChanged: false },
  },
  {
    name: 'an edited version: linted, reported as edited, not evaluated',
    changes: [modified('prompts/support-answer/1.1.0.yaml')],
    expected: {
      lintFiles: ['prompts/support-answer/1.1.0.yaml'],
      evaluate: [],
      editedVersions: ['prompts/support-answer/1.1.0.yaml'],
      deletedVersions: [],
      nothingChanged: false,
    },
  },
  {
    name: "a version file whose content is the base's (a comment changed): linted, not an edit",
    changes: [{ ...modified('prompts/support-answer/1.1.0.yaml'), sameContent: true }],
    expected: { lintFiles: ['prompts/support-answer/1.1.0.yaml'], evaluate: [], editedVersions: [], renamed: [], deletedVersions: [], nothingChanged: false },
  },
  {
    name: 'a version file this checkout cannot read (its read error is a problem of its own): linted, not called an edit',
    changes: [{ ...modified('prompts/support-answer/1.1.0.yaml'), unreadable: true }],
    expected: { lintFiles: ['prompts/support-answer/1.1.0.yaml'], evaluate: [], editedVersions: [], renamed: [], deletedVersions: [], nothingChanged: false },
  },
  {
    name: 'a deleted version: recorded, neither linted nor evaluated',
    changes: [deleted('prompts/support-answer/1.0.0.yaml')],
    expected: { lintFiles: [], evaluate: [], editedVersions: [], renamed: [], deletedVersions: ['support-answer@1.0.0'], nothingChanged: false },
  },
  {
    name: 'a changed suite: every version its range covers (pre-releases included)',
    changes: [modified('evalsets/support-answer/golden.yaml')],
    expected: {
      lintFiles: ['evalsets/support-answer/golden.yaml'],
      evaluate: [
        { ref: 'support-answer@1.0.0', why: 'suite golden changed' },
        { ref: 'support-answer@1.1.0', why: 'suite golden changed' },
        { ref: 'support-answer@1.2.0', why: 'suite golden changed' },
        { ref: 'support-answer@2.0.0-rc.1', why: 'suite golden changed' },
      ],
      nothingChanged: false,
    },
  },
  {
    name: 'a changed suite gates only the highest version it covers; older ones are re-evaluated for information',
    changes: [modified('evalsets/support-answer/json.yaml')],
    expected: {
      evaluate: [
        { ref: 'support-answer@1.1.0', why: 'suite json changed', candidate: false },
        { ref: 'support-answer@1.2.0', why: 'suite json changed', candidate: true },
      ],
    },
  },
  {
    name: 'a new version is a candidate, and the unchanged suites covering it are linted with it',
    changes: [added('prompts/support-answer/1.3.0.yaml')],
    expected: {
      lintFiles: ['prompts/support-answer/1.3.0.yaml'],
      coveringSuites: ['evalsets/support-answer/golden.yaml', 'evalsets/support-answer/json.yaml'],
      evaluate: [{ ref: 'support-answer@1.3.0', why: 'new version', candidate: true }],
    },
  },
  {
    name: 'a changed suite covering a new version: linted once, as a changed file',
    changes: [added('prompts/support-answer/1.3.0.yaml'), modified('evalsets/support-answer/golden.yaml')],
    expected: { coveringSuites: ['evalsets/support-answer/json.yaml'] },
  },
  {
    name: "a deleted version: every suite of its prompt is linted (its range may now match nothing)",
    changes: [deleted('prompts/summarize/0.2.0.yaml')],
    expected: { lintFiles: [], coveringSuites: ['evalsets/summarize/golden.yml', 'evalsets/summarize/rows.yaml'], deletedVersions: ['summarize@0.2.0'], evaluate: [] },
  },
  {
    name: 'a whole prompt deleted, its suites left: they are linted (they name a prompt that is gone)',
    changes: [deleted('prompts/summarize/0.1.0.yaml'), deleted('prompts/summarize/0.2.0.yaml')],
    expected: { coveringSuites: ['evalsets/summarize/golden.yml', 'evalsets/summarize/rows.yaml'] },
  },
  {
    name: 'a prompt deleted with its suites: nothing left to lint',
    changes: [deleted('prompts/summarize/0.1.0.yaml'), deleted('evalsets/summarize/golden.yml'), deleted('evalsets/summarize/rows.yaml')],
    shape: { versions: new Map([['support-answer', ['1.0.0']]]), suites: [] },
    expected: { lintFiles: [], coveringSuites: [] },
  },
  {
    name: 'a version renamed .yaml → .yml (as git lists it): one modification of the new file, an edit unless its content is the same',
    changes: [deleted('prompts/support-answer/1.1.0.yaml'), added('prompts/support-answer/1.1.0.yml')],
    expected: { lintFiles: ['prompts/support-answer/1.1.0.yml'], evaluate: [], editedVersions: ['prompts/support-answer/1.1.0.yml'], renamed: [{ from: 'prompts/support-answer/1.1.0.yaml', file: 'prompts/support-answer/1.1.0.yml', kind: 'version' }], deletedVersions: [], deleted: [] },
  },
  {
    name: 'a version renamed with the same content (sameContent, from byVersion): neither edited, deleted nor new',
    changes: [{ file: 'prompts/support-answer/1.1.0.yml', status: 'modified', from: 'prompts/support-answer/1.1.0.yaml', sameContent: true }],
    expected: { lintFiles: ['prompts/support-answer/1.1.0.yml'], evaluate: [], editedVersions: [], deletedVersions: [], deleted: [], coveringSuites: [], nothingChanged: false },
  },
  {
    name: 'a suite edited in comments or formatting only (sameContent): linted, nothing re-run, listed as same content',
    changes: [{ ...modified('evalsets/support-answer/golden.yaml'), sameContent: true }, { ...modified('prompts/support-answer/1.1.0.yaml'), sameContent: true }],
    expected: { lintFiles: ['evalsets/support-answer/golden.yaml', 'prompts/support-answer/1.1.0.yaml'], evaluate: [], sameContent: [{ file: 'evalsets/support-answer/golden.yaml', kind: 'suite' }, { file: 'prompts/support-answer/1.1.0.yaml', kind: 'version' }], nothingChanged: false },
  },
  {
    name: "a suite's cases_from file whose rows are the base's (sameContent: line endings, spacing): nothing re-run, listed as same content",
    changes: [{ ...modified('data/rows.csv'), sameContent: true }],
    expected: { lintFiles: [], evaluate: [], sameContent: [{ file: 'data/rows.csv', kind: 'data' }], nothingChanged: false },
  },
  {
    name: 'a suite whose comments alone changed, and whose data file changed too: re-run, linted once, not same content',
    changes: [{ ...modified('evalsets/summarize/rows.yaml'), sameContent: true }, modified('data/rows.csv')],
    expected: { lintFiles: ['evalsets/summarize/rows.yaml'], evaluate: [{ ref: 'summarize@0.2.0', why: 'suite rows changed (its cases_from file data/rows.csv)' }], sameContent: [] },
  },
  {
    name: 'renamed files are listed with their kind, as deleted files are',
    changes: [deleted('prompts/support-answer/1.1.0.yaml'), added('prompts/support-answer/1.1.0.yml'), deleted('evalsets/support-answer/golden.yaml'), added('evalsets/support-answer/golden.yml')],
    expected: {
      renamed: [
        { from: 'prompts/support-answer/1.1.0.yaml', file: 'prompts/support-answer/1.1.0.yml', kind: 'version' },
        { from: 'evalsets/support-answer/golden.yaml', file: 'evalsets/support-answer/golden.yml', kind: 'suite' },
      ],
      deleted: [],
    },
  },
  {
    name: 'a deleted version and another new version of the prompt: not a rename',
    changes: [deleted('prompts/support-answer/1.1.0.yaml'), added('prompts/support-answer/1.3.0.yml')],
    expected: { editedVersions: [], renamed: [], deletedVersions: ['support-answer@1.1.0'], evaluate: [{ ref: 'support-answer@1.3.0', why: 'new version' }] },
  },
  {
    name: 'deleted files are listed with their kind',
    changes: [deleted('prompts/support-answer/1.0.0.yaml'), deleted('evalsets/summarize/golden.yml'), deleted('.promptrc.yaml')],
    expected: {
      deleted: [
        { file: 'prompts/support-answer/1.0.0.yaml', kind: 'version', ref: 'support-answer@1.0.0' },
        { file: 'evalsets/summarize/golden.yml', kind: 'suite' },
        { file: '.promptrc.yaml', kind: 'config' },
      ],
      evaluate: [],
    },
  },
  {
    name: 'a new suite with a narrower range: only the versions it covers',
    changes: [added('evalsets/support-answer/json.yaml')],
    expected: {
      lintFiles: ['evalsets/support-answer/json.yaml'],
      evaluate: [
        { ref: 'support-answer@1.1.0', why: 'suite json changed' },
        { ref: 'support-answer@1.2.0', why: 'suite json changed' },
      ],
    },
  },
  {
    name: 'a suite with an invalid range: linted (lint reports the range), nothing evaluated',
    changes: [modified('evalsets/support-answer/broken-range.yaml')],
    expected: { lintFiles: ['evalsets/support-answer/broken-range.yaml'], evaluate: [], nothingChanged: false },
  },
  {
    name: 'a suite file the loader could not read (not in the shape): linted only',
    changes: [added('evalsets/support-answer/unparsable.yaml')],
    expected: { lintFiles: ['evalsets/support-answer/unparsable.yaml'], evaluate: [], nothingChanged: false },
  },
  {
    name: 'a deleted suite retired_suites lists is marked retired (deleted deliberately)',
    changes: [deleted('evalsets/summarize/golden.yml'), deleted('evalsets/support-answer/json.yaml')],
    shape: { ...shape(), retiredSuites: ['summarize/golden'] },
    expected: {
      deleted: [
        { file: 'evalsets/summarize/golden.yml', kind: 'suite', retired: true },
        { file: 'evalsets/support-answer/json.yaml', kind: 'suite' },
      ],
      evaluate: [],
    },
  },
  {
    name: 'a deleted suite: relevant, but nothing to lint or evaluate',
    changes: [deleted('evalsets/summarize/golden.yml')],
    expected: { lintFiles: [], evaluate: [], nothingChanged: false },
  },
  {
    name: 'a changed config: linted, and the highest version of every prompt evaluated',
    changes: [modified('.promptrc.yaml')],
    expected: {
      lintFiles: ['.promptrc.yaml'],
      evaluate: [
        { ref: 'summarize@0.2.0', why: '.promptrc.yaml changed', candidate: true },
        { ref: 'support-answer@2.0.0-rc.1', why: '.promptrc.yaml changed', candidate: true },
      ],
      configChanged: true,
      nothingChanged: false,
    },
  },
  {
    name: 'a config edited only in comments or formatting (sameContent): linted, nothing evaluated',
    changes: [{ ...modified('.promptrc.yaml'), sameContent: true }],
    expected: { lintFiles: ['.promptrc.yaml'], evaluate: [], configChanged: false, nothingChanged: false },
  },
  {
    name: 'a deleted config: relevant, not linted, nothing evaluated',
    changes: [deleted('.promptrc.yaml')],
    expected: { lintFiles: [], evaluate: [], configChanged: false, nothingChanged: false },
  },
  {
    name: 'a config in a subfolder is not the project config',
    changes: [modified('sub/.promptrc.yaml')],
    expected: NOTHING,
  },
  {
    name: 'a new version and a changed suite covering it: evaluated once, as a new version',
    changes: [added('prompts/support-answer/1.2.0.yaml'), modified('evalsets/support-answer/json.yaml')],
    expected: {
      lintFiles: ['prompts/support-answer/1.2.0.yaml', 'evalsets/support-answer/json.yaml'],
      evaluate: [
        { ref: 'support-answer@1.1.0', why: 'suite json changed' },
        { ref: 'support-answer@1.2.0', why: 'new version' },
      ],
    },
  },
  {
    name: 'everything at once: sorted refs, irrelevant files ignored',
    changes: [
      modified('README.md'),
      added('prompts/summarize/0.3.0.yaml'),
      modified('prompts/support-answer/1.0.0.yaml'),
      deleted('prompts/support-answer/1.1.0.yaml'),
      modified('.promptrc.yaml'),
    ],
    expected: {
      lintFiles: ['prompts/summarize/0.3.0.yaml', 'prompts/support-answer/1.0.0.yaml', '.promptrc.yaml'],
      evaluate: [
        { ref: 'summarize@0.2.0', why: '.promptrc.yaml changed' },
        { ref: 'summarize@0.3.0', why: 'new version' },
        { ref: 'support-answer@2.0.0-rc.1', why: '.promptrc.yaml changed' },
      ],
      editedVersions: ['prompts/support-answer/1.0.0.yaml'],
      deletedVersions: ['support-answer@1.1.0'],
      configChanged: true,
      nothingChanged: false,
    },
  },
];

describe('planCi', () => {
  it.each(cases)('$name', ({ changes, shape: given, expected }) => {
    expect(planCi(changes, given ?? shape())).toMatchObject(expected);
  });

  it('byVersion pairs a version deleted and added under two names, and leaves every other change as it is', () => {
    const changes = [deleted('prompts/a/2.0.0.yaml'), modified('README.md'), added('prompts/a/2.0.0.yml'), deleted('prompts/a/1.0.0.yaml'), added('prompts/b/1.0.0.yaml')];
    expect(byVersion(changes)).toEqual([modified('README.md'), { ...modified('prompts/a/2.0.0.yml'), from: 'prompts/a/2.0.0.yaml' }, deleted('prompts/a/1.0.0.yaml'), added('prompts/b/1.0.0.yaml')]);
    expect(byVersion(byVersion(changes))).toEqual(byVersion(changes));
  });

  it('byVersion pairs a suite deleted and added under two names (a suite is its prompt and name): one modification, not a deleted suite', () => {
    const changes = [deleted('evalsets/a/golden.yaml'), added('evalsets/a/golden.yml'), deleted('evalsets/a/smoke.yaml'), added('evalsets/b/smoke.yml')];
    expect(byVersion(changes)).toEqual([{ ...modified('evalsets/a/golden.yml'), from: 'evalsets/a/golden.yaml' }, deleted('evalsets/a/smoke.yaml'), added('evalsets/b/smoke.yml')]);
  });

  it('orders what it evaluates by code units, the same in every locale (localeCompare put 1.0.0-alpha before 1.0.0-RC.1)', () => {
    const versions = new Map([['support-answer', ['1.0.0-alpha', '1.0.0-RC.1']]]);
    const plan = planCi([added('prompts/support-answer/1.0.0-alpha.yaml'), added('prompts/support-answer/1.0.0-RC.1.yaml')], { versions, suites: [] });
    expect(plan.evaluate.map((e) => e.ref)).toEqual(['support-answer@1.0.0-RC.1', 'support-answer@1.0.0-alpha']);
  });

  it('does not change its inputs', () => {
    const s = shape();
    const before = JSON.stringify({ versions: [...s.versions], suites: s.suites });
    const changes = [modified('.promptrc.yaml'), modified('evalsets/support-answer/golden.yaml')];
    planCi(changes, s);
    expect(JSON.stringify({ versions: [...s.versions], suites: s.suites })).toBe(before);
    expect(changes).toEqual([modified('.promptrc.yaml'), modified('evalsets/support-answer/golden.yaml')]);
  });
});
