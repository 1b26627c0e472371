import { describe, expect, it } from 'vitest';
import { deploy } from '../../src/app/index.js';
import { makeProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { readChain, registerFiles } from '../support/registry-cli.js';

/**
 * A refused deploy records nothing. Before, a draft edited since it was registered had its new
 * content settled (a `supersede` event) before the gates were judged, and the refusal committed it.
 */

const ID = 'support-answer';

describe('a refused deploy of an edited draft', () => {
  it('appends no event, and the dry run and the deploy judge the same content', async () => {
    const cwd = makeProject();
    const draft = readProjectFile(cwd, `prompts/${ID}/1.1.0.yaml`).replace(/^version: 1\.1\.0$/m, 'version: 1.2.0');
    writeProjectFile(cwd, `prompts/${ID}/1.2.0.yaml`, draft);
    registerFiles(cwd, `${ID}@1.2.0`);
    writeProjectFile(cwd, `prompts/${ID}/1.2.0.yaml`, draft.replace('description:', 'description: still iterating;'));
    const before = readChain(cwd).length;
    const opts = { cwd, env: {}, ref: `${ID}@1.2.0`, environment: 'staging', actor: 'a@example.com' };
    const dry = await deploy({ ...opts, dryRun: true });
    const real = await deploy(opts);
    expect(real.exitCode).toBe(1);
    expect(real.allowed).toBe(false);
    expect(real.checks.map((c) => [c.kind, c.ok])).toEqual(dry.checks.map((c) => [c.kind, c.ok]));
    expect(readChain(cwd).length).toBe(before);
  });
});
