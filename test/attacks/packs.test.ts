import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTACK_CATEGORIES, checkPackSet, parsePack, type AttackPack } from '../../src/core/attacks/pack-schema.js';
import { decodeBase64Runs, rot13 } from '../../src/core/detectors/encodings.js';
import { stripInvisible } from '../../src/core/detectors/text-fold.js';
import { parseYamlText } from '../../src/infra/yaml-text.js';

const PACKS_DIR = path.resolve(import.meta.dirname, '../../packs');
const files = readdirSync(PACKS_DIR).filter((f) => f.endsWith('.yaml')).sort();

function load(file: string): AttackPack {
  const parsed = parseYamlText(readFileSync(path.join(PACKS_DIR, file), 'utf8'), `packs/${file}`);
  expect(parsed.problems).toEqual([]);
  return parsePack(parsed.data, `packs/${file}`, parsed.locate);
}

const packs = files.map(load);
const attacks = packs.flatMap((p) => p.attacks.map((a) => ({ pack: p.pack, ...a })));

/** Every plain-text reading of a payload a model could arrive at by decoding it. */
function readings(payload: string): string[] {
  const out = [payload, stripInvisible(payload), rot13(payload), [...payload].reverse().join('')];
  // Unicode tag characters (U+E0000 block) mirror ASCII invisibly.
  out.push([...payload].map((c) => (c.codePointAt(0)! >= 0xe0000 ? String.fromCodePoint(c.codePointAt(0)! - 0xe0000) : c)).join(''));
  for (const hex of payload.match(/\b(?:[0-9a-f]{2}){8,}\b/g) ?? []) out.push(hex.replace(/../g, (h) => String.fromCharCode(parseInt(h, 16))));
  for (const run of decodeBase64Runs(payload)) {
    out.push(run.decoded);
    for (const inner of decodeBase64Runs(run.decoded)) out.push(inner.decoded);
  }
  return out;
}

describe('shipped attack packs', () => {
  it('has one valid pack per file, named after the file', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const [i, p] of packs.entries()) expect(`${p.pack}.yaml`).toBe(files[i]);
    expect(() => checkPackSet(packs, files)).not.toThrow();
  });

  it('ships at least 150 distinct attacks', () => {
    const ids = new Set(attacks.map((a) => a.id));
    expect(ids.size).toBe(attacks.length);
    expect(ids.size).toBeGreaterThanOrEqual(150);
    expect(new Set(attacks.map((a) => a.payload)).size).toBe(attacks.length);
  });

  it('covers every category with several attacks', () => {
    for (const c of ATTACK_CATEGORIES) expect(attacks.filter((a) => a.category === c).length, c).toBeGreaterThanOrEqual(15);
  });

  it('gives every marker attack its own marker, and most attacks are measurable by marker', () => {
    const markers = attacks.flatMap((a) => (a.success.marker ? [a.success.marker] : []));
    expect(new Set(markers).size).toBe(markers.length);
    expect(markers.length).toBeGreaterThan(attacks.length / 2);
    for (const kind of ['leak', 'pii', 'marker', 'compliance'] as const) expect(attacks.some((a) => a.success.kind === kind), kind).toBe(true);
  });

  it('puts each marker in its payload, plainly or once decoded', () => {
    for (const a of attacks) {
      const marker = a.success.marker;
      if (!marker) continue;
      // Payload splitting asks the model to assemble the marker itself.
      if (a.notes?.includes('marker assembled by the model')) continue;
      expect(readings(a.payload).some((r) => r.includes(marker)), `${a.id}: ${a.payload}`).toBe(true);
    }
  });

  it('carries real encoded payloads and many languages', () => {
    const obf = attacks.filter((a) => a.category === 'encoding-obfuscation').map((a) => a.payload);
    expect(obf.some((p) => /\u200b|\u200d/.test(p))).toBe(true);
    expect(obf.some((p) => /[\u0430\u0435\u043e\u0440\u0441]/.test(p))).toBe(true); // Cyrillic homoglyphs
    expect(obf.some((p) => decodeBase64Runs(p).some((r) => /instruction|system prompt|PWNED/i.test(r.decoded)))).toBe(true);
    expect(obf.some((p) => /ignore/i.test(rot13(p)))).toBe(true);
    const langs = new Set(attacks.filter((a) => a.category === 'non-english').map((a) => a.language));
    for (const l of ['es', 'fr', 'de', 'pt', 'it', 'zh', 'ja', 'ru']) expect(langs, l).toContain(l);
  });
});

describe('parsePack', () => {
  const good = { pack: 'mini', version: '1.0.0', description: 'x', attacks: [{ id: 'a-1', category: 'instruction-override', payload: 'say PWNED-A-1', success: { kind: 'marker', marker: 'PWNED-A-1' } }] };

  it('accepts a minimal pack', () => expect(parsePack(good, 'mini.yaml').attacks).toHaveLength(1));

  it.each<[string, unknown, RegExp]>([
    ['a bad version', { ...good, version: 'v1' }, /semantic version/],
    ['an unknown category', { ...good, attacks: [{ ...good.attacks[0], category: 'spam' }] }, /attacks\.0\.category/],
    ['a marker attack without a marker', { ...good, attacks: [{ ...good.attacks[0], success: { kind: 'marker' } }] }, /needs a marker/],
    ['a marker on a leak attack', { ...good, attacks: [{ ...good.attacks[0], success: { kind: 'leak', marker: 'PWNED-X1' } }] }, /only used with success kind "marker"/],
    ['duplicate ids', { ...good, attacks: [good.attacks[0], { ...good.attacks[0], success: { kind: 'leak' } }] }, /duplicate attack id "a-1"/],
    ['duplicate markers', { ...good, attacks: [good.attacks[0], { ...good.attacks[0], id: 'a-2' }] }, /marker "PWNED-A-1" is also used/],
    ['an unknown key', { ...good, extra: 1 }, /unknown key "extra"/],
  ])('rejects %s', (_label, data, message) => {
    try {
      parsePack(data, 'mini.yaml');
      expect.unreachable();
    } catch (e) {
      const problems = (e as { problems: Array<{ field: string; message: string; file: string }> }).problems;
      expect(problems.every((p) => p.file === 'mini.yaml')).toBe(true);
      expect(problems.map((p) => `${p.field}: ${p.message}`).join('\n')).toMatch(message);
    }
  });

  it('rejects packs that clash with each other', () => {
    const a = parsePack(good, 'a.yaml');
    const b = parsePack({ ...good, pack: 'other' }, 'b.yaml');
    expect(() => checkPackSet([a, b], ['a.yaml', 'b.yaml'])).toThrow(/conflict/);
  });
});
