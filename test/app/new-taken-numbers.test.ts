import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deploy, newVersion } from '../../src/app/index.js';
import { newVersionText } from '../../src/render/scaffold-text.js';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, readProjectFile, registryPath, removeProjectFile, writeProjectFile } from '../support/project.js';
import { markReleased } from '../support/registry-cli.js';

/**
 * `new` picks a number no other branch or repository sharing the registry has taken: before, it
 * looked at the files alone, so a branch created 1.2.0 while another branch's 1.2.0 was already
 * deployed, and every command then refused the file as "edited after it was released".
 */

const env = { PROMPTCTL_ACTOR: 'dev@example.com' };
const ID = 'support-answer';

/** 1.2.0 deployed from another branch: in the registry, with no file in this checkout. */
async function releasedElsewhere(): Promise<string> {
  const cwd = makeProject();
  writeProjectFile(cwd, `prompts/${ID}/1.2.0.yaml`, readProjectFile(cwd, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.2.0').replace(/^description: .*$/m, 'description: the other branch'));
  expect((await deploy({ cwd, env, ref: `${ID}@1.2.0`, environment: 'development', reason: 'other branch' })).exitCode).toBe(0);
  removeProjectFile(cwd, `prompts/${ID}/1.2.0.yaml`);
  return cwd;
}

describe('new passes over version numbers the registry already holds', () => {
  it('--minor after 1.1.0 writes 1.3.0, saying 1.2.0 is released elsewhere', async () => {
    const cwd = await releasedElsewhere();
    const r = await newVersion({ cwd, env, id: ID, bump: 'minor' });
    expect(r).toMatchObject({ version: '1.3.0', from: '1.1.0', skipped: [{ version: '1.2.0', releasedIn: ['development'] }] });
    expect(newVersionText(r)[0]).toBe(`note: ${ID} 1.2.0 (released: deployed to development) is already in the registry with no file here (from another branch or repository): passed over`);
    expect((await runCliInProcess(['lint', `prompts/${ID}/1.3.0.yaml`], { cwd, env })).code).toBe(0);
  });

  it('a free number is taken as before, and a project without a registry is not given one', async () => {
    const cwd = await releasedElsewhere();
    expect(await newVersion({ cwd, env, id: ID, bump: 'patch' })).not.toHaveProperty('skipped');
    const fresh = makeProject();
    const r = await runCliInProcess(['new', ID, '--minor'], { cwd: fresh, env });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain(`created prompts/${ID}/1.2.0.yaml from 1.1.0`);
    expect(r.output).not.toMatch(/registry/);
    expect(existsSync(registryPath(fresh))).toBe(false);
  });
});

describe('new where the registry cannot be named', () => {
  it('an empty PROMPTCTL_REGISTRY_URL in a CI job is a warning, not a refusal: new works without a registry', async () => {
    const cwd = makeProject();
    const r = await runCliInProcess(['new', ID, '--minor'], { cwd, env: { ...env, CI: 'true', PROMPTCTL_REGISTRY_URL: '' } });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain(`created prompts/${ID}/1.2.0.yaml from 1.1.0`);
    expect(r.output).toMatch(/warning: could not read the registry/);
  });
});

/**
 * A prompt id made again after its folder was deleted or renamed: its registered numbers stay
 * taken, so `new` numbers above the highest (and the skeleton carries that number), saying what the
 * old prompt still serves. Before, it wrote 1.0.1, below the 1.1.0 production serves, into a file
 * whose `version:` said 1.0.0.
 */
describe('new for an id whose old versions the registry holds with no file here', () => {
  it('numbers after the highest registered version and names what is deployed', async () => {
    const cwd = makeProject();
    markReleased(cwd, `${ID}@1.0.0`);
    markReleased(cwd, `${ID}@1.1.0`, 'production');
    removeProjectFile(cwd, `prompts/${ID}`);
    removeProjectFile(cwd, `evalsets/${ID}`);
    const r = await runCliInProcess(['new', ID], { cwd, env });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain(
      `note: ${ID} was used before: the registry holds 1.0.0, 1.1.0 with no file here, and development serves 1.0.0, production serves 1.1.0; the new version is numbered after them, and a deploy of it replaces what those environments serve (for another prompt, choose another id)`,
    );
    expect(r.stdout).toContain(`created prompts/${ID}/1.1.1.yaml`);
    expect(readProjectFile(cwd, `prompts/${ID}/1.1.1.yaml`)).toMatch(/^version: 1\.1\.1$/m);
    expect((await runCliInProcess(['lint', `prompts/${ID}/1.1.1.yaml`], { cwd, env })).code).toBe(0);
    expect(await newVersion({ cwd, env, id: ID, bump: 'minor' })).toMatchObject({ version: '1.2.0', from: '1.1.1' });
  });
});
