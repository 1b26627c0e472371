import { existsSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { expandAttacks, knownAttackSets } from '../core/attacks/expand.js';
import { generatedCaseFindings } from '../core/attacks/generated-check.js';
import { editorSchemaLine } from '../core/editor-schema.js';
import { InputError } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import { Slug } from '../core/schemas/common.js';
import { shippedPacks } from '../infra/eval/attacks.js';
import { toolFolderOf } from '../infra/data-links.js';
import { writeOutputFile } from '../infra/output-file.js';
import { loadProject } from '../infra/project.js';
import { fromCwdField, projectRelative } from '../infra/real-path.js';
import { lookupIfPresent, resolveRegisteredVersion } from '../infra/project-query.js';
import { optionName, optionWithValue, type OptionNames } from '../core/option-names.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions, wholeNumber } from './options.js';

/**
 * Writes an adversarial suite expanded from the shipped attack packs, to review and commit. Suites
 * can also name packs under `attacks:` directly; a generated file pins the exact attacks, so a pack
 * update never changes a suite silently.
 */

export const RedteamGenerateOptions = z.object({
  /** `<id>[@version]`: the version whose variables the attacks go into (the highest by default). */
  id: z.string(),
  // `--packs a,b`, `--packs "a b"` and `--packs a b` all mean the same two names.
  packs: z
    .union([z.string(), z.array(z.string())])
    .default(['all'])
    .transform((v) => [...new Set((Array.isArray(v) ? v : [v]).flatMap((x) => x.split(/[\s,]+/)).filter(Boolean))]),
  /** The variable that carries the attack text (default: the first untrusted one, or the only one). */
  injectInto: z.string().optional(),
  /** The suite's name: evalsets/<id>/<name>.yaml. */
  name: z.string().default('redteam'),
  leakMinChars: wholeNumber(8, 10_000).optional(),
  /** A JSONL file (relative to the current folder) for the cases: the suite then reads them with `cases_from`. */
  out: z.string().min(1).optional(),
});
export type RedteamGenerateOptions = z.input<typeof RedteamGenerateOptions>;

/** What `redteam generate --json` prints. */
export interface GeneratedSuite {
  file: string;
  /** With --out: the JSONL file holding the cases (project-relative). */
  casesFile?: string;
  cases: number;
  injectInto: string;
  packs: string[];
  /** What keeps generated cases from running (lint's findings for them), one line per kind: empty when none. */
  warnings: string[];
}

export interface RedteamGenerateResult {
  generated: GeneratedSuite;
  /** The prompt version the suite was generated for. */
  id: string;
  version: string;
  /** The suite's name. */
  suite: string;
  /** The suite file as a path from where the command ran, when that is below the project root: what `promptctl lint` takes there. */
  fromCwd?: string;
}

export async function redteamGenerate(opts: RedteamGenerateOptions & AppOptions): Promise<RedteamGenerateResult> {
  const o = parseOptions('redteamGenerate', RedteamGenerateOptions, opts);
  const { optionNames } = appContext(opts);
  // An option as its caller wrote it: `--inject-into "x"` on the command line, `injectInto: "x"` in a script.
  const given = (key: string, value: string) => optionWithValue(optionNames, key, value, `"${value}"`);
  const project = loadProject(appContext(opts).cwd, { env: appContext(opts).env, optionNames: appContext(opts).optionNames });
  const v = await resolveRegisteredVersion(project, parsePromptRef(o.id), lookupIfPresent(project, appContext(opts).env));
  if (!Slug.safeParse(o.name).success) throw new InputError({ message: `${given('name', o.name)} is not a lowercase slug` });
  const variables = v.data.variables;
  const injectInto = o.injectInto ?? (variables.find((x) => x.untrusted) ?? (variables.length === 1 ? variables[0] : undefined))?.name;
  if (!injectInto || !variables.some((x) => x.name === injectInto)) {
    throw new InputError({
      message: injectInto ? `${given('injectInto', injectInto)} is not a variable of ${v.id}@${v.version}` : `choose the variable that carries the attack text`,
      hint: `pass ${optionWithValue(optionNames, 'injectInto', `<one of: ${variables.map((x) => x.name).join(', ') || 'no variables declared'}>`)}`,
    });
  }
  // Attack text is text: a number or boolean variable could carry none of it, and every case would
  // be refused at eval (and by lint), so the file is not written.
  const target = variables.find((x) => x.name === injectInto)!;
  if (target.type !== 'string') {
    const texts = variables.filter((x) => x.type === 'string').map((x) => x.name);
    throw new InputError({
      message: `${given('injectInto', injectInto)} is a ${target.type} variable of ${v.id}@${v.version}; attack payloads are text`,
      why: 'every generated case would set it to an attack payload, which a number or boolean variable refuses, so none could run',
      hint: texts.length ? `pass ${optionWithValue(optionNames, 'injectInto', `<one of the string variables: ${texts.join(', ')}>`)}` : `declare a string variable that carries user or retrieved text in ${v.id}@${v.version}`,
    });
  }
  // Other required variables need a harmless value; the reviewer can edit them in the file.
  const baseVars = Object.fromEntries(variables.filter((x) => x.required && x.name !== injectInto).map((x) => [x.name, x.type === 'number' ? 1 : x.type === 'boolean' ? false : `example ${x.name}`]));
  const packs = shippedPacks();
  // Checked here so the error names the option (`packs`, `--packs`), not a suite's `attacks:` field.
  const known = knownAttackSets(packs);
  const unknown = o.packs.filter((p) => !known.includes(p));
  if (!o.packs.length || unknown.length) {
    const option = optionName(optionNames, 'packs');
    throw new InputError({
      message: o.packs.length ? `${option}: unknown ${unknown.length === 1 ? 'pack or category' : 'packs or categories'} ${unknown.map((n) => `"${n}"`).join(', ')}` : `${option} names no pack`,
      why: `${option} takes attack pack names or attack categories, separated by commas or spaces`,
      hint: `use one or more of: ${known.join(', ')}`,
    });
  }
  const cases = expandAttacks({ attacks: o.packs, packs, injectInto, baseVars });
  // What lint would say of the written suite (payloads past max_length, a variable no message uses),
  // in its words, once per kind with a count: warned now rather than found at the next lint.
  const warnings = generatedCaseFindings(v.data, { inject_into: injectInto, base_vars: baseVars, attacks: o.packs }, cases).map((f) => f.message(`${v.id}@${v.version}`));
  // Keep the leak threshold the prompt's hand-written adversarial suite chose: a prompt that quotes
  // its facts needs a longer span than the default before quoting counts as leaking. And its public
  // values (`allowed_pii`): the support address the prompt gives out is no leak here either.
  const handWritten = project.suites.find((s) => s.promptId === v.id && s.data.kind === 'adversarial')?.data;
  const leakMinChars = o.leakMinChars ?? handWritten?.leak_min_chars;
  const allowedPii = handWritten?.allowed_pii;
  const file = `evalsets/${v.id}/${o.name}.yaml`;
  if (existsSync(path.join(project.root, file))) throw new InputError({ message: `${file} already exists`, hint: `review and edit it, or choose another file with ${optionWithValue(optionNames, 'name', '<suite>')}.` });
  const wanted = o.out === undefined ? undefined : casesFileOf(project.root, appContext(opts).cwd, o.out, optionNames);
  // A cases_from row carries variables and expectations, not a conversation: multi-turn attacks
  // (crescendo) stay in the suite's own cases, which the rows follow. Only those: no file.
  const rows = wanted === undefined ? [] : cases.filter((c) => c.messages === undefined);
  const casesFile = rows.length ? wanted : undefined;
  const inline = casesFile ? cases.filter((c) => c.messages !== undefined) : cases;
  if (wanted !== undefined && rows.length < cases.length) {
    const multi = cases.length - rows.length;
    warnings.push(rows.length ? `${multi} multi-turn attack${multi === 1 ? '' : 's'} kept in the suite's cases: a row of ${wanted} holds no conversation` : `no file written to ${wanted}: every attack is multi-turn, and a row holds no conversation; the suite holds them`);
  }
  const suite = {
    prompt: v.id,
    versions: `>=${v.version}`,
    kind: 'adversarial',
    description: `Generated by promptctl redteam generate from packs: ${o.packs.join(', ')}. Review, edit and commit.`,
    threshold: 0.995,
    inject_into: injectInto,
    ...(leakMinChars !== undefined ? { leak_min_chars: leakMinChars } : {}),
    ...(allowedPii?.length ? { allowed_pii: allowedPii } : {}),
    ...(Object.keys(baseVars).length ? { base_vars: baseVars } : {}),
    ...(inline.length || !casesFile ? { cases: inline } : {}),
    ...(casesFile ? { cases_from: { file: casesFile } } : {}),
  };
  // The cases first: a suite never names a file that was not written.
  if (casesFile) writeOutputFile(project.root, casesFile, rows.map((c) => `${JSON.stringify(c)}\n`).join(''), { exclusive: true });
  const where = !casesFile ? 'one case per attack' : inline.length ? `one row per single-turn attack in ${casesFile}, multi-turn ones below` : `one row per attack in ${casesFile}`;
  writeOutputFile(project.root, file, `${editorSchemaLine('evalset')}\n# Generated adversarial suite: ${where}, the payload in {{${injectInto}}}.\n${stringify(suite, { lineWidth: 0 })}`, { exclusive: true });
  return { ...fromCwdField({ root: project.root, cwd: appContext(opts).cwd }, file), generated: { file, ...(casesFile ? { casesFile } : {}), cases: cases.length, injectInto, packs: o.packs, warnings }, id: v.id, version: v.version, suite: o.name };
}

/** `--out`'s path as `cases_from` names it (relative to the project root), or exit 2 when it cannot be one. */
function casesFileOf(root: string, cwd: string, out: string, names: OptionNames): string {
  const abs = path.resolve(cwd, out);
  const option = optionWithValue(names, 'out', out);
  // Real paths decide: a path spelt through a link ($PWD in a linked folder) is still inside.
  const rel = projectRelative(root, abs);
  if (rel === undefined) throw new InputError({ message: `${option} is outside the project`, why: '`cases_from` names a file inside the project (relative to the folder holding .promptrc.yaml).', hint: 'choose a path such as data/redteam.jsonl.' });
  // lint refuses a cases_from file there (infra/datasets.ts): the suite written would never run.
  const tool = toolFolderOf(root, abs);
  if (tool) throw new InputError({ message: `${option} is in ${tool}/`, why: `${tool}/ holds ${tool === '.git' ? "git's own files" : "promptctl's registry and caches"}, not data: lint refuses a cases_from file there, and it is not committed with the suite.`, hint: 'choose a path such as data/redteam.jsonl.' });
  if (!/\.(jsonl|ndjson)$/i.test(rel)) throw new InputError({ message: `${option} is not a .jsonl file`, hint: 'name the file with the .jsonl extension, such as data/redteam.jsonl.' });
  if (existsSync(abs)) throw new InputError({ message: `${rel} already exists`, hint: `review and edit it, or choose another file with ${optionWithValue(names, 'out', '<file.jsonl>')}.` });
  return rel;
}
