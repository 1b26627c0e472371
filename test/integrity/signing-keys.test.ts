import { describe, expect } from 'vitest';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { signerFor } from '../../src/infra/signing.js';
import type { SigningConfig } from '../../src/core/schemas/signing-config.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { patchConfig, readChain } from '../support/registry-cli.js';

/**
 * The two halves of a key pair look alike (ed25519:<43 characters>). A public key given as the
 * private one must be refused: it is published in .promptrc.yaml, so a key derived from it would
 * let anyone sign, and the hint must never offer to pin such a key.
 */

const evaluator = generateSigningKey();
const deployer = generateSigningKey();
const signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey] };

describe('a public key given as a private key', () => {
  it.each([
    ['its own role\'s pinned key', 'deployer', 'PROMPTCTL_DEPLOYER_KEY', deployer.publicKey, 'deployer'],
    ["another role's pinned key", 'deployer', 'PROMPTCTL_DEPLOYER_KEY', evaluator.publicKey, 'evaluator'],
    ['with base64 padding', 'evaluator', 'PROMPTCTL_EVALUATOR_KEY', `${evaluator.publicKey}=`, 'evaluator'],
  ] as const)('%s: exit 2 naming the variable, never the value', (_, role, name, value, pinnedAs) => {
    let error: unknown;
    try {
      signerFor(signing, { [name]: value }, role);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ exitCode: 2, message: `${name} holds a public key (the one pinned under signing.${pinnedAs} in .promptrc.yaml), not a private key` });
    const { message, why, hint } = error as { message: string; why: string; hint: string };
    expect(`${message} ${why} ${hint}`).not.toContain(value.replace(/=$/, '').slice('ed25519:'.length));
  });

  it('still signs with the private key', () => {
    expect(signerFor(signing, { PROMPTCTL_DEPLOYER_KEY: deployer.privateKey }, 'deployer')?.role).toBe('deployer');
  });
});

describe('an empty key', () => {
  it.each([
    ['outside CI', 'deployer', { PROMPTCTL_DEPLOYER_KEY: '' }, signing, { message: 'this project signs deployer events, and PROMPTCTL_DEPLOYER_KEY is not set' }],
    ['unset in a GitHub job', 'evaluator', { CI: 'true', GITHUB_ACTIONS: 'true' }, signing, { message: 'this project signs evaluator events, and PROMPTCTL_EVALUATOR_KEY is not set' }],
    [
      'empty in a GitHub job (a fork pull request)',
      'evaluator',
      { CI: 'true', GITHUB_ACTIONS: 'true', PROMPTCTL_EVALUATOR_KEY: ' ' },
      signing,
      { message: 'PROMPTCTL_EVALUATOR_KEY is set but empty in this CI job', why: expect.stringMatching(/^\.promptrc\.yaml pins 1 evaluator key \(signing\.evaluator\), .*\(GitHub passes empty secrets to pull requests from forks\)$/), hint: 'give the job the secret' },
    ],
    ['empty in a Jenkins job', 'deployer', { JENKINS_URL: 'http://jenkins/', PROMPTCTL_DEPLOYER_KEY: '' }, signing, { message: 'PROMPTCTL_DEPLOYER_KEY is set but empty in this CI job' }],
  ] as const)('%s: exit 2', (_, role, env, config, expected) => {
    let error: unknown;
    try {
      signerFor(config, env, role);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ exitCode: 2, ...expected });
  });

  it('in a CI job of a project that pins no key for the role: nothing to sign with, no error', () => {
    expect(signerFor({ evaluator: [], deployer: [] }, { CI: 'true', PROMPTCTL_EVALUATOR_KEY: '' }, 'evaluator')).toBeUndefined();
  });
});

describe('a private key pinned in .promptrc.yaml', () => {
  const carol = generateSigningKey();
  // As keys generate printed private keys before 0.2.0: the same form as a public key, so the schema cannot tell.
  const legacyPrivate = carol.privateKey.replace(/^ed25519-private:/, 'ed25519:');
  const refusal = (config: SigningConfig, held: string) => {
    try {
      signerFor(config, { PROMPTCTL_DEPLOYER_KEY: held }, 'deployer');
    } catch (err) {
      return err as { exitCode: number; message: string; why: string; hint: string };
    }
    throw new Error('signed');
  };

  it('keys generate labels the private half, and it signs', () => {
    expect(carol.privateKey).toMatch(/^ed25519-private:[A-Za-z0-9_-]{43}$/);
    expect(signerFor({ evaluator: [], deployer: [carol.publicKey] }, { PROMPTCTL_DEPLOYER_KEY: carol.privateKey }, 'deployer')?.role).toBe('deployer');
    expect(signerFor({ evaluator: [], deployer: [carol.publicKey] }, { PROMPTCTL_DEPLOYER_KEY: legacyPrivate }, 'deployer')?.role).toBe('deployer');
  });

  it.each([
    ['pinned as the deployer', { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey, legacyPrivate] }, 'signing.deployer.1'],
    ['listed as retired', { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey], retired: [{ key: legacyPrivate, role: 'deployer' as const, until: 4 }] }, 'signing.retired.0.key'],
  ])('the two halves swapped (%s, the public half held): exit 2 naming the field, the pair replaced', (_, config, field) => {
    const e = refusal(config, carol.publicKey);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`${field} in .promptrc.yaml is a private key: the private half of the public key PROMPTCTL_DEPLOYER_KEY holds`);
    expect(e.why).toMatch(/repository's history/);
    expect(e.hint).toMatch(/^replace the pair: run `promptctl keys generate`, pin its public key in place of this one.*retire nothing/);
    expect(`${e.message} ${e.why} ${e.hint}`).not.toContain(legacyPrivate.slice('ed25519:'.length));
    expect(`${e.message} ${e.why} ${e.hint}`).not.toContain(carol.publicKey.slice('ed25519:'.length));
  });

  it('the private key pinned and held (as written before 0.2.0): the hint names the committed private key too', () => {
    const e = refusal({ evaluator: [], deployer: [legacyPrivate] }, legacyPrivate);
    expect(e.message).toBe('PROMPTCTL_DEPLOYER_KEY holds a public key (the one pinned under signing.deployer in .promptrc.yaml), not a private key');
    expect(e.hint).toMatch(/If what is pinned there is the private key .*repository's history.*: replace the pair/);
  });
});

describe("another role's private key", () => {
  const retired: SigningConfig = { evaluator: [], deployer: [deployer.publicKey], retired: [{ key: evaluator.publicKey, role: 'evaluator', until: 3 }] };
  it.each([
    ['deployer', 'PROMPTCTL_DEPLOYER_KEY', evaluator, 'evaluator', signing],
    ['evaluator', 'PROMPTCTL_EVALUATOR_KEY', deployer, 'deployer', signing],
    ['deployer', 'PROMPTCTL_DEPLOYER_KEY', evaluator, 'evaluator', retired],
  ] as const)('as the %s key (%s): exit 2 naming both roles, never advising to pin it for this role too', (role, name, pair, other, config) => {
    let error: unknown;
    try {
      signerFor(config, { [name]: pair.privateKey }, role);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ exitCode: 2 });
    const { message, why, hint } = error as { message: string; why: string; hint: string };
    expect(message).toMatch(new RegExp(`^the key in ${name} is the ${other}'s \\((pinned under|retired from) signing\\.${other} in \\.promptrc\\.yaml\\), not one of the ${role}'s$`));
    expect(hint).toContain(`set ${name} to the ${role}'s private key`);
    expect(`${message} ${why} ${hint}`).not.toContain(pair.publicKey);
    expect(`${message} ${why} ${hint}`).not.toContain(pair.privateKey);
  });
});

describe('a key pinned with base64 padding', () => {
  it('signs and verifies as the key `keys generate` printed', async ({ simProject: dir }) => {
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [`${evaluator.publicKey}=`], deployer: [`${deployer.publicKey}=`] };
    });
    const env = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey };
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir, env });
    expect(r.code, r.output).toBe(0);
    expect(readChain(dir).map((e) => e.signer?.split(':')[0])).toEqual(['evaluator']);
    const v = await runCliInProcess(['audit', 'verify'], { cwd: dir, env });
    expect(v.code, v.output).toBe(0);
    expect(v.stdout).toMatch(/signed: 0 by the deployer, 1 by the evaluator; 0 unsigned/);
  });
});

describe('one key pinned for both roles', () => {
  it('is a config error naming signing.deployer (exit 2): lint, and a deploy signed with the evaluator key', async ({ simProject: dir }) => {
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [evaluator.publicKey] };
    });
    const lint = await runCliInProcess(['lint'], { cwd: dir });
    expect(lint.code, lint.output).toBe(2);
    expect(lint.output).toMatch(/\.promptrc\.yaml:\d+:\d+ .*signing\.deployer\.0: is also pinned under signing\.evaluator: one key for both roles/);
    const deploy = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'release@example.com'], { cwd: dir, env: { PROMPTCTL_DEPLOYER_KEY: evaluator.privateKey, PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey } });
    expect(deploy.code, deploy.output).toBe(2);
    expect(deploy.stderr).toContain('signing.deployer.0');
  });
});

describe('a private key pinned as `keys generate` prints it', () => {
  it('is exit 2 in lint, audit verify and eval, naming the field and never the key', async ({ simProject: dir }) => {
    const carol = generateSigningKey();
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey, carol.privateKey] };
    });
    const env = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: carol.privateKey };
    for (const args of [['lint', '.promptrc.yaml'], ['audit', 'verify'], ['eval', 'support-answer@1.1.0']]) {
      const r = await runCliInProcess(args, { cwd: dir, env });
      expect(r.code, r.output).toBe(2);
      expect(r.output).toMatch(/\.promptrc\.yaml:\d+:\d+ .*signing\.deployer\.1: is a private key .*repository's history.*replace the pair/);
      expect(r.output).not.toContain(carol.privateKey.slice('ed25519-private:'.length));
    }
  });
});
