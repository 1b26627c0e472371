import type { AttackPack } from '../core/attacks/pack-schema.js';
import { sha256Hex } from '../core/canonical.js';
import { InputError, type Problem } from '../core/errors.js';
import { openFileCache } from './file-cache.js';
import { lintFiles, ownerOf, unloadedPrompts } from './lint-files.js';
import { lazySchemaEngine } from './schema-engine.js';
import type { Project, PromptFile, SuiteFile } from './project.js';
import { requireNoDeletedSuites } from './deleted-suites.js';
import { appendAll } from '../core/append.js';

/**
 * `eval` and `deploy` judge a prompt only when its own files are sound. The loader leaves a broken
 * file out and carries on, which is right for `list` but not for a gate: a typo in a suite
 * (`contain:`) or an adversarial suite without `inject_into` would silently drop cases or attack
 * packs, and a version would pass without them. So every file of the prompt that fails to load,
 * every lint error in its suites (they change over time), and every lint error in the versions
 * being judged is an input error here, named by file, line and field, before anything is sent or
 * recorded. Older versions are not re-linted: they are immutable, and a rule added later must not
 * lock a team out of its own history. A suite file git tracks and this checkout deleted without
 * committing is refused first (infra/deleted-suites.ts): a suite left out the other way.
 */
export function requireSoundFiles(
  project: Project,
  promptIds: string[],
  opts: {
    versions?: PromptFile[];
    knownAttackSets?: string[];
    attackPacks?: readonly AttackPack[];
    env?: Readonly<Record<string, string | undefined>>;
    why?: string;
    /**
     * A comparison's (compare, report): only the loaded suites it reads are linted (`suite`), and of
     * the files that do not load only those it might have read (`file`: a suite that does not load
     * might have applied; another version's broken file, or a suite `--suite` leaves out, is not compared).
     */
    compared?: { suite: (s: SuiteFile) => boolean; file: (file: string) => boolean };
  } = {},
): void {
  requireNoDeletedSuites(project, promptIds);
  const ids = new Set(promptIds);
  const idOf = (file: string): string | undefined => ownerOf(file)?.id;
  const owned = (file: string): boolean => {
    const f = file.replaceAll('\\', '/');
    // `prompts` or `evalsets` itself unreadable (a file, a broken link) hides every prompt's files.
    if (f === 'prompts' || f === 'evalsets') return true;
    const id = idOf(f);
    return id !== undefined && ids.has(id);
  };
  const problems: Problem[] = project.problems.filter((p) => owned(p.file) && (!opts.compared || opts.compared.file(p.file.replaceAll('\\', '/'))));
  // The same rules as `lint` (schema and tool rules included): one function, so they cannot drift.
  // One schema engine for every suite: schemas several suites share are compiled once.
  const schemas = lazySchemaEngine();
  const lint = (files: Parameters<typeof lintFiles>[1]) => lintFiles(project, files, { knownAttackSets: opts.knownAttackSets, attackPacks: opts.attackPacks, errorsOnly: true, schemas });
  const clean = cleanSuites(project, opts);
  // One suite at a time: a suite's errors may sit in its data file, and only a suite with none is remembered.
  for (const suite of project.suites.filter((s) => ids.has(s.promptId) && (!opts.compared || opts.compared.suite(s)) && !clean.has(s))) {
    const found = lint({ prompts: [], suites: [suite] });
    appendAll(problems, found);
    if (!found.some((p) => p.severity === 'error')) clean.remember(suite);
  }
  appendAll(problems, lint({ prompts: opts.versions ?? [], suites: [] }));
  const errors = problems.filter((p) => p.severity === 'error');
  if (!errors.length) return;
  // The prompts whose files hold the errors (a dataset file outside evalsets/ names no prompt: then all judged).
  const named = errors.map((e) => idOf(e.file));
  const whose = named.every((id) => id !== undefined) ? new Set(named as string[]) : ids;
  throw new InputError({
    message: `${errors.length} problem${errors.length === 1 ? '' : 's'} in the files of ${[...whose].sort().join(', ')}`,
    why: opts.why ?? 'a version is judged only when its suites and its own file are valid: a broken suite left out would let it pass without that suite.',
    problems: errors,
    hint: 'fix the fields named above; `promptctl lint` lists every problem at once.',
  });
}

/**
 * The suites whose lint found no error last time, for exactly the same inputs: an unchanged
 * 2,000-case suite skips its lint (about 25 ms of every eval's start). Kept in the project's file
 * cache (file-cache.ts: the same build, sealed with this user's key), keyed by everything lint reads
 * of a suite: its content hash, the versions of its prompt (content hashes), whether one of them
 * failed to load, and, for a suite that names attacks, the attack sets and packs. Only a clean
 * verdict is kept, so a problem is always found afresh, with its position. A suite's hash covers
 * the rows of its data file (`cases_from`, infra/datasets.ts), so an edited row is linted again.
 */
function cleanSuites(project: Project, opts: { knownAttackSets?: string[]; attackPacks?: readonly AttackPack[]; env?: Readonly<Record<string, string | undefined>> }) {
  const cache = opts.env ? openFileCache(project.root, opts.env) : undefined;
  const unloaded = unloadedPrompts(project);
  // The packs' own content: the build id covers the sources, not packs/*.yaml edited beside them.
  let packsDigest: string | null | undefined;
  // Made once per suite: looked up, then (linted clean) written; the file cache hashes the same bytes once.
  const made = new Map<SuiteFile, Uint8Array>();
  const inputsOf = (s: SuiteFile): Uint8Array => {
    const known = made.get(s);
    if (known) return known;
    const versions = project.prompts.filter((p) => p.id === s.data.prompt).map((p) => [p.file, p.version, p.hash]);
    // Only a suite that names attacks reads them: eval and deploy, which load the packs for
    // different sets of suites, then key every other suite alike.
    if (s.data.attacks?.length) packsDigest ??= opts.attackPacks ? sha256Hex(JSON.stringify(opts.attackPacks)) : null;
    const attacks = s.data.attacks?.length ? { known: opts.knownAttackSets ?? null, packs: packsDigest } : null;
    const inputs = Buffer.from(JSON.stringify({ suite: s.hash, name: s.name, prompt: s.data.prompt, versions, unloaded: unloaded.has(s.data.prompt), attacks }));
    made.set(s, inputs);
    return inputs;
  };
  const KIND = 'suite-lint-clean';
  return {
    has(s: SuiteFile): boolean {
      return cache?.get(KIND, s.file, inputsOf(s)) === true;
    },
    remember(s: SuiteFile): void {
      cache?.set(KIND, s.file, inputsOf(s), true);
    },
  };
}
