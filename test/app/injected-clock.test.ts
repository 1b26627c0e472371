import { afterAll, describe, expect, it } from 'vitest';
import { deploy, history } from '../../src/app/index.js';
import { supersedeRevisions } from '../../src/app/ci-revisions.js';
import { loadProject } from '../../src/infra/project.js';
import { fakeClock } from '../support/fake-clock.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { editVersionFile, readChain, registerFiles } from '../support/registry-cli.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/**
 * What a use case records and what it compares with recorded times follow its `clock`, never the
 * system's: a clock far from today (2001) shows any registry opened without it. Before, ci's
 * supersede event was dated by the system clock (pulling every later event forward with it), and
 * `history --since` counted back from the system clock, hiding what the injected clock had just recorded.
 */

const ID = 'support-answer';
const AT = Date.UTC(2001, 1, 3, 4, 5, 6);
const clock = { ...fakeClock(), date: () => new Date(AT) };
const env = {};

afterAll(() => cleanupTempDirs());

function ungatedProject(): string {
  const cwd = makeProject();
  writeProjectFile(cwd, '.promptrc.yaml', UNGATED_CONFIG);
  return cwd;
}

describe('the injected clock reaches every registry a use case opens', () => {
  it("ci's supersede of a revised draft is dated by the clock", async () => {
    const cwd = ungatedProject();
    registerFiles(cwd, `${ID}@1.1.0`);
    editVersionFile(cwd, `${ID}@1.1.0`);
    const project = loadProject(cwd);
    const file = project.prompts.find((p) => p.id === ID && p.version === '1.1.0')!;
    await supersedeRevisions(project, { env, clock }, [{ file, from: 'the registered hash' }], 'ci@example.com');
    const supersede = readChain(cwd).filter((e) => e.action === 'supersede');
    expect(supersede.map((e) => e.at)).toEqual([new Date(AT).toISOString()]);
  });

  it('history --since counts back from the clock that dated the events', async () => {
    const cwd = ungatedProject();
    const r = await deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'staging', actor: 'ana' });
    expect(r.event?.at).toBe(new Date(AT).toISOString());
    const shown = await history({ cwd, env, clock, since: '1h' });
    expect(shown.events.map((e) => `${e.action} ${e.version} ${e.at}`)).toEqual([`deploy 1.0.0 ${new Date(AT).toISOString()}`]);
  });
});
