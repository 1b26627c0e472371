import { describe, expect, it } from 'vitest';
import { EnvironmentConfig } from '../../src/core/schemas/config.js';

/** An environment name the schema refuses is told the whole rule, whatever part of it the name breaks. */

const RULE = 'must be lowercase letters, digits and -, starting with a letter, at most 32 characters (such as staging or prod-eu)';

describe('environment names', () => {
  it.each(['prod_eu', '1prod', 'a'.repeat(33), 'Staging', 'prod eu'])('%s is refused with the rule', (name) => {
    const r = EnvironmentConfig.safeParse({ name });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['name', RULE]]);
  });

  it.each(['staging', 'prod-eu', 'p2', 'a'.repeat(32)])('%s is accepted', (name) => {
    expect(EnvironmentConfig.safeParse({ name }).success).toBe(true);
  });
});
