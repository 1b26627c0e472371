import { describe, expect } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { writeProjectFile } from '../support/project.js';

/**
 * `eval --filter-failing` with `--case`, `--tag` or `--sample` that select only passing cases has
 * nothing to re-run, as plain `--filter-failing` with nothing failing: said, exit 0. Before, it was
 * refused as a typo (exit 2, "no case matches --case refund-window", or "no case matches the
 * selection" once every case passed). A selection that matches no case at all is still exit 2.
 */

const SUITE = (shipping: string) => `prompt: support-answer
versions: ">=1.0.0"
kind: golden
threshold: 1
cases:
  - id: refund-window
    tags: [money]
    vars: { question: "How long do I have to ask for a refund?" }
    expect:
      - icontains: "30 days"
  - id: shipping
    tags: [shipping]
    vars: { question: "How many days does standard shipping take?" }
    expect:
      - icontains: "${shipping}"
`;

const evalArgs = (...extra: string[]) => ['eval', 'support-answer@1.1.0', '--suite', 'tagged', '--filter-failing', ...extra];
const env = { PROMPTCTL_ACTOR: 'select@example.com' };

describe('eval --filter-failing with a selection of passing cases', () => {
  it('says nothing failing among the selected cases, exit 0, while another case fails', async ({ sharedSimProject: dir }) => {
    writeProjectFile(dir, 'evalsets/support-answer/tagged.yaml', SUITE('never'));
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'tagged'], { cwd: dir })).code).toBe(1);
    for (const selection of [['--case', 'refund-window'], ['--tag', 'money'], ['--case', 'refund-*']]) {
      const r = await runCliInProcess(evalArgs(...selection), { cwd: dir });
      expect(r.code, r.output).toBe(0);
      expect(r.stdout).toContain('nothing failing among the selected cases of support-answer@1.1.0 (tagged): each passed when it last ran, so nothing was re-run or recorded');
    }
    const lib = await runEval({ cwd: dir, env, refs: ['support-answer@1.1.0'], suite: ['tagged'], filterFailing: true, case: ['refund-window'] });
    expect(lib.exitCode).toBe(0);
    expect(lib.report.nothingFailing).toEqual([{ promptId: 'support-answer', version: '1.1.0', suite: 'tagged', model: 'sim-model', selected: true }]);
    // A selection that still holds a failing case runs it, as before.
    const failing = await runCliInProcess(evalArgs('--tag', 'money', 'shipping', '--json'), { cwd: dir });
    expect(failing.code, failing.output).toBe(1);
  });

  it('says nothing failing once every case passed, with --sample too', async ({ sharedSimProject: dir }) => {
    writeProjectFile(dir, 'evalsets/support-answer/tagged.yaml', SUITE('days'));
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'tagged'], { cwd: dir })).code).toBe(0);
    for (const selection of [['--sample', '1'], ['--case', 'refund-window'], ['--tag', 'shipping']]) {
      const r = await runCliInProcess(evalArgs(...selection), { cwd: dir });
      expect(r.code, r.output).toBe(0);
      expect(r.stdout).toContain('nothing failing in support-answer@1.1.0 (tagged): every case passed when it last ran, so nothing was re-run or recorded');
    }
  });

  it('still refuses a case or a tag that no case has (exit 2)', async ({ sharedSimProject: dir }) => {
    writeProjectFile(dir, 'evalsets/support-answer/tagged.yaml', SUITE('days'));
    const id = await runCliInProcess(evalArgs('--case', 'refund-windw'), { cwd: dir });
    expect(id.code, id.output).toBe(2);
    expect(id.stderr).toContain('no case matches --case refund-windw');
    const tag = await runCliInProcess(evalArgs('--tag', 'mony'), { cwd: dir });
    expect(tag.code, tag.output).toBe(2);
    expect(tag.stderr).toContain('no case matches --tag mony');
  });
});
