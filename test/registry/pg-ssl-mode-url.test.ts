import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pgConnectionUrl } from '../../src/infra/registry/postgres/pool-url.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * sslmode=require (and verify-ca) in a registry URL: pg treats it as verify-full, and said so in a
 * process warning on stderr ("SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca'
 * are treated as aliases for 'verify-full'"), in every command's and every host application's
 * output. The URL handed to pg now says verify-full: the same TLS settings, and no warning. Each
 * case parses with a copy of pg-connection-string loaded for it, so that its once-per-process
 * warning has not been given yet (the test workers share the module cache).
 */

const require = createRequire(import.meta.url);
type Parse = (url: string) => { ssl?: unknown };

/** A pg-connection-string of its own: its "warned once" flag unset. */
function freshParse(): Parse {
  const file = require.resolve('pg-connection-string');
  const kept = require.cache[file];
  delete require.cache[file];
  try {
    return require('pg-connection-string').parse as Parse;
  } finally {
    if (kept) require.cache[file] = kept;
    else delete require.cache[file];
  }
}

/** The warnings `fn` gives through process.emitWarning (kept off stderr), and its result. */
function warningsOf<T>(fn: () => T): { result: T; warnings: string[] } {
  const warnings: string[] = [];
  const emit = process.emitWarning;
  process.emitWarning = ((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning;
  try {
    return { result: fn(), warnings };
  } finally {
    process.emitWarning = emit;
  }
}

afterAll(() => cleanupTempDirs());

describe('the URL handed to pg', () => {
  const dir = makeTempDir();
  const ca = path.join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n');
  const base = 'postgres://app@db.example.com:5432/prompts';

  it.each([
    ['require', '?sslmode=require'],
    ['verify-ca with a CA file', `?sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}`],
    ['require with options', '?sslmode=require&options=-c%20statement_timeout%3D5s'],
    ['require given after disable (pg reads the last)', '?sslmode=disable&sslmode=require'],
  ])('%s: the same TLS settings as pg made of it, without the warning', (_, query) => {
    const raw = base + query;
    const original = warningsOf(() => freshParse()(raw));
    expect(original.warnings.join('\n')).toContain('SECURITY WARNING');
    const handed = warningsOf(() => freshParse()(pgConnectionUrl(raw).url));
    expect(handed.warnings).toEqual([]);
    expect(handed.result.ssl).toEqual(original.result.ssl);
    if (query.includes('sslrootcert')) expect(handed.result.ssl).toMatchObject({ ca: readFileSync(ca, 'utf8') });
  });

  it.each([
    ['no sslmode', ''],
    ['disable', '?sslmode=disable'],
    ['verify-full', '?sslmode=verify-full'],
    ['no-verify', '?sslmode=no-verify'],
    // libpq's meaning, asked for: require then does not verify the certificate; left as it is.
    ['require with uselibpqcompat=true', '?uselibpqcompat=true&sslmode=require'],
  ])('%s: handed to pg as it was', (_, query) => {
    const raw = base + query;
    expect(pgConnectionUrl(raw).url).toBe(raw);
    const original = warningsOf(() => freshParse()(raw));
    expect(original.warnings).toEqual([]);
  });

  it('the options parameter is still taken out, for the search path to join', () => {
    expect(pgConnectionUrl(`${base}?options=-c%20work_mem%3D4MB&sslmode=require`)).toEqual({ url: `${base}?sslmode=verify-full`, options: '-c work_mem=4MB' });
  });
});
