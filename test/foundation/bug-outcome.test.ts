import { describe, expect, it } from 'vitest';
import { reportOutcome } from '../../src/cli-outcome.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactCrashText, secretValues, secretVariablesNamedIn } from '../../src/core/secret-text.js';

/**
 * What promptctl prints for a bug (exit 70): under --json, the error object on stdout as for every
 * other failure (README, "Commands"); and, on both streams, no secret from the environment, no
 * bearer token and no password in a URL, as the server's and the registry's printers guarantee.
 */

const ENV = { VLLM_API_KEY: 'sk-HUNT-SECRET-123', PGPASSWORD: 'PW-HUNT-456', HOME: '/home/someone', LANG: 'C' };

async function printed(error: unknown, json: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await reportOutcome({ exitCode: 70, error, json }, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, ENV);
  return { code, stdout, stderr };
}

describe('a bug (exit 70)', () => {
  it('under --json prints its error object on stdout; without, stdout stays empty', async () => {
    const r = await printed(new TypeError('text.matchAll is not a function'), true);
    expect(r.code).toBe(70);
    expect(JSON.parse(r.stdout)).toEqual({ error: 'InternalError', exitCode: 70, message: 'promptctl hit a bug: text.matchAll is not a function', hint: 'please report it with the command you ran.' });
    expect(r.stderr).toMatch(/^error: promptctl hit a bug: text\.matchAll/);
    expect((await printed(new Error('x'), false)).stdout).toBe('');
  });

  it('stars the secrets of the environment, bearer tokens and URL passwords in its message and stack', async () => {
    const error = new Error('sent sk-HUNT-SECRET-123 as Bearer tok_abcdef to postgres://ci:PW-HUNT-456@db:5432/x?password=other123 (HOME /home/someone)');
    const r = await printed(error, true);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toMatch(/sk-HUNT|PW-HUNT|tok_abcdef|other123/);
      expect(out).toContain('/home/someone');
    }
  });

  it('stars the key of the variable the project names in server.api_key_env, whatever its name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bug-outcome-'));
    try {
      writeFileSync(join(dir, '.promptrc.yaml'), 'server:\n  base_url: http://127.0.0.1:8000/v1\n  model: m\n  api_key_env: "LLM_GATEWAY"\nregistry:\n  password_env: DB_PASS # the team registry\n');
      mkdirSync(join(dir, 'prompts'));
      let stderr = '';
      const env = { ...ENV, LLM_GATEWAY: 'gw-7d1c55e0b2', DB_PASS: 'hunter22x' };
      const code = await reportOutcome({ exitCode: -1, error: new Error('sent gw-7d1c55e0b2 with hunter22x'), json: false, cwd: join(dir, 'prompts') }, { stdout: () => {}, stderr: (t) => void (stderr += t) }, env);
      expect(code).toBe(70);
      expect(stderr).not.toMatch(/gw-7d1c|hunter22x/);
      expect(stderr).toContain('sent [REDACTED] with [REDACTED]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, string[]]>([
    ['api_key_env: LLM_GATEWAY', ['LLM_GATEWAY']],
    ["  api_key_env: 'X_1'  # quoted", ['X_1']],
    ['registry:\n  password_env: "DB"\njudge:\n  api_key_env: J', ['DB', 'J']],
    ['server: { base_url: "http://h/v1", api_key_env: LLM_GATEWAY }', ['LLM_GATEWAY']],
    ['"api_key_env": "QUOTED_KEY"', ['QUOTED_KEY']],
    ['# api_key_env: COMMENTED', []],
    ['description: api_key_env: NOT_A_KEY', []],
  ])('names the secret variables of %j', (text, names) => {
    expect(secretVariablesNamedIn(text)).toEqual(names);
  });

  it.each<[string, string, string]>([
    ['a secret variable', 'key sk-HUNT-SECRET-123!', 'key [REDACTED]!'],
    ['a bearer token', 'authorization: Bearer abc.def', 'authorization: Bearer [REDACTED]'],
    ['a URL password', 'https://u:p4ss@host/v1', 'https://u:[REDACTED]@host/v1'],
    ['a password parameter', 'postgres://h/db?sslmode=x&password=zz9', 'postgres://h/db?sslmode=x&password=[REDACTED]'],
    ['nothing secret', 'at run (/home/someone/x.js:1:2)', 'at run (/home/someone/x.js:1:2)'],
  ])('%s', (_name, text, out) => {
    expect(redactCrashText(text, secretValues(ENV))).toBe(out);
  });
});
