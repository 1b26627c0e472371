import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initText } from '../../src/render/scaffold-text.js';
import { REPO_ROOT } from '../support/cli.js';

/**
 * Issue 14 §5: a user adds promptctl with `npm i -D promptctl` and runs both commands through npx.
 * npm links each package.json `bin` entry into node_modules/.bin, so `npx promptctl-sim` resolves
 * only when `promptctl-sim` is such an entry, its target is published and it starts with a shebang.
 * tsc emits src/bin/<name>.ts to dist/bin/<name>.js (rootDir src, outDir dist).
 */

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };

describe('installing promptctl in a project', () => {
  it('publishes both commands as bins, each built from a source with a node shebang', () => {
    expect(Object.keys(pkg.bin).sort()).toEqual(['promptctl', 'promptctl-sim']);
    for (const target of Object.values(pkg.bin)) {
      // promptctl is bundled into one CommonJS file (scripts/bundle.mjs); promptctl-sim is tsc's.
      const m = /^dist\/bin\/([\w-]+)\.c?js$/.exec(target);
      expect(m, target).not.toBeNull();
      expect(pkg.files).toContain('dist');
      const source = path.join(REPO_ROOT, 'src', 'bin', `${m![1]}.ts`);
      expect(existsSync(source), source).toBe(true);
      expect(readFileSync(source, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
      expect(readFileSync(path.join(REPO_ROOT, target), 'utf8').split('\n')[0], target).toBe('#!/usr/bin/env node');
    }
    // The scaffolded files point their schemas into the installed package.
    expect(pkg.files).toContain('schemas');
    expect(readFileSync(path.join(REPO_ROOT, 'examples/quickstart/.promptrc.yaml'), 'utf8')).toContain('node_modules/promptctl/schemas/');
  });

  it('ships the license package.json names, and no build metadata (what `npm pack` would take from dist/)', () => {
    // npm packs LICENSE whatever `files` says; `npm pack --dry-run` itself takes 2-3 s, too slow here.
    expect((JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
    expect(readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the promptctl authors\n/);
    // esbuild's metafile (500 KB of src/ and node_modules/ paths) is written outside dist/.
    expect(existsSync(path.join(REPO_ROOT, 'dist/bin/meta.json'))).toBe(false);
    expect(existsSync(path.join(REPO_ROOT, '.build/bundle-meta.json'))).toBe(true);
  });

  it("init's hint names a bin the package provides", () => {
    const hint = initText({ root: '/p', created: [], kept: [], blank: false, warnings: [], hasVersions: true, server: { baseUrl: 'http://127.0.0.1:8000/v1', model: 'sim-model', simulator: { port: 8000 } } }).join('\n');
    const named = [...hint.matchAll(/npx ([\w-]+)/g)].map((m) => m[1]);
    expect(named).toContain('promptctl-sim');
    for (const bin of named) expect(Object.keys(pkg.bin)).toContain(bin);
  });

  it('the README says how to add it to a project and run both commands', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it in your project'));
    expect(section.length).toBeLessThan(readme.length);
    for (const line of ['npm i -D promptctl', 'npx promptctl init', 'npx promptctl-sim']) expect(section).toContain(line);
  });
});
