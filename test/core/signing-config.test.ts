import { describe, expect, it } from 'vitest';
import { SigningConfig } from '../../src/core/schemas/signing-config.js';

/** signing: in .promptrc.yaml: which lists of keys refuse each other, and the field each refusal names. */

const A = `ed25519:${'A'.repeat(43)}`;
const B = `ed25519:${'B'.repeat(43)}`;
const C = `ed25519:${'C'.repeat(43)}`;
const PRIVATE = `ed25519-private:${'D'.repeat(43)}`;
const retired = (key: string, role: 'evaluator' | 'deployer', until: number) => ({ key, role, until });

describe('SigningConfig', () => {
  it.each([
    ['distinct keys, one retired', { evaluator: [A], deployer: [B], retired: [retired(C, 'deployer', 7)] }, []],
    ['a key pinned under both roles', { evaluator: [A], deployer: [A] }, [['deployer.0', /also pinned under signing\.evaluator: .*give each role its own key \(`promptctl keys generate`\)$/]]],
    ['a key both pinned and retired in its role', { evaluator: [A], deployer: [B], retired: [retired(B, 'deployer', 7)] }, [['retired.0.key', /also pinned under signing\.deployer: a retired key's signatures count only up to `until`/]]],
    [
      'a retired deployer key pinned as the evaluator',
      { evaluator: [A, C], deployer: [B], retired: [retired(C, 'deployer', 7)] },
      [['retired.0.key', /also pinned under signing\.evaluator: it was retired from signing\.deployer \(it may have leaked\).*remove it from signing\.evaluator and pin a new key there/]],
    ],
    ['a retired evaluator key pinned as the deployer', { evaluator: [A], deployer: [C], retired: [retired(C, 'evaluator', 3)] }, [['retired.0.key', /also pinned under signing\.deployer: it was retired from signing\.evaluator/]]],
    ['one key retired twice with different `until`', { evaluator: [A], deployer: [B], retired: [retired(C, 'deployer', 7), retired(C, 'deployer', 5)] }, [['retired.1.key', /already retired at signing\.retired\.0: list each retired key once/]]],
    ['one key retired twice, written with and without its =', { evaluator: [A], deployer: [B], retired: [retired(C, 'deployer', 7), retired(`${C}=`, 'evaluator', 7)] }, [['retired.1.key', /already retired at signing\.retired\.0/]]],
    ['a private key pinned as the deployer', { evaluator: [A], deployer: [PRIVATE] }, [['deployer.0', /^is a private key .*repository's history.*promptctl keys generate.*retire nothing/]]],
    ['a private key pinned as the evaluator, with padding', { evaluator: [`${PRIVATE}=`], deployer: [B] }, [['evaluator.0', /^is a private key /]]],
    ['a private key listed as retired', { evaluator: [A], deployer: [B], retired: [retired(PRIVATE, 'deployer', 3)] }, [['retired.0.key', /^is a private key /]]],
  ] as const)('%s', (_name, config, expected) => {
    const parsed = SigningConfig.safeParse(config);
    const issues = parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toHaveLength(expected.length);
    expected.forEach(([path, message], n) => {
      expect(issues[n]?.[0]).toBe(path);
      expect(issues[n]?.[1]).toMatch(message);
      expect(issues[n]?.[1]).not.toContain('D'.repeat(43));
    });
  });
});
