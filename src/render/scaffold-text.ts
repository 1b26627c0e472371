import type { InitResult } from '../app/init.js';
import type { NewVersionResult } from '../app/new-version.js';
import type { RedteamGenerateResult } from '../app/redteam.js';
import { shellWord } from '../core/shell-word.js';

/** Lines for the commands that write files for the user to edit: `init`, `new`, `redteam generate`. */

export function initText(r: InitResult): string[] {
  return [
    `initialised promptctl project in ${r.root}`,
    ...r.created.map((f) => `  created ${f}`),
    ...r.kept.map((f) => `  kept    ${f} (already exists, not overwritten)`),
    '',
    // A folder that already held a project (a copied example) has prompts to lint, whatever --blank
    // said. Either way the server step follows: --base-url/--model promise a check of that server.
    // Every next step finds the project upwards from the current folder: `init my-prompts` leaves it beside, not above.
    // A project with no version yet (--blank, or a kept one that holds only its config) starts with `new`: eval has nothing to run.
    `next: ${r.cd ? `cd ${shellWord(r.cd)}, then ` : ''}${r.hasVersions ? '' : 'promptctl new <prompt-id> (its first version, 1.0.0), then '}promptctl lint, then ${serverStep(r.server)}`,
  ];
}

/** The step before `eval`: start the simulator only where the config points at it, else check the server it names. */
function serverStep(server: InitResult['server']): string {
  const { simulator } = server ?? {};
  if (simulator) {
    const model = simulator.model === undefined ? '' : ` --model ${shellWord(simulator.model)}`;
    return `start the simulator .promptrc.yaml points at (\`npx promptctl-sim --port ${simulator.port}${model}\`) and run promptctl eval; for your own vLLM server, set server.base_url and server.model there first`;
  }
  const named = server ? `${[server.baseUrl].flat().join(', ')} is up and serves ${server.model}` : 'the server .promptrc.yaml names is up and serves its model';
  return `\`promptctl lint --server\` (checks that ${named}) and promptctl eval`;
}

export function newVersionText(r: NewVersionResult): string[] {
  return [...takenLines(r), ...createdLines(r)];
}

/** Numbers passed over (a version file here, or taken in the registry by another branch or repository), and why the registry could not be checked. */
function takenLines(r: NewVersionResult): string[] {
  const files = r.skippedFiles ?? [];
  const taken = (r.skipped ?? []).map((s) => `${s.version} (${s.releasedIn.length ? `released: deployed to ${s.releasedIn.join(', ')}` : 'a draft'})`);
  return [
    ...(files.length ? [`note: ${files.join(', ')} already ${files.length === 1 ? 'exists' : 'exist'}: passed over`] : []),
    ...(taken.length ? [`note: ${r.id} ${taken.join(', ')} ${taken.length === 1 ? 'is' : 'are'} already in the registry with no file here (from another branch or repository): passed over`] : []),
    ...(r.skippedOnBase ? [`note: ${r.id} ${r.skippedOnBase.versions.join(', ')} ${r.skippedOnBase.versions.length === 1 ? 'is' : 'are'} already on ${r.skippedOnBase.base} with no file here (merged from another branch since this one left it): passed over`] : []),
    ...(r.usedBefore ? [usedBeforeLine(r.id, r.usedBefore)] : []),
    ...(r.warning ? [`warning: ${r.warning}`] : []),
  ];
}

/** An id made again whose old versions the registry holds: the numbers it keeps clear of, and what still serves the old prompt. */
function usedBeforeLine(id: string, used: NonNullable<NewVersionResult['usedBefore']>): string {
  const serves = used.active.map((a) => `${a.env} serves ${a.version}`).join(', ');
  const served = serves ? `, and ${serves}` : '';
  const replaces = serves ? ', and a deploy of it replaces what those environments serve' : '';
  return `note: ${id} was used before: the registry holds ${used.registered.join(', ')} with no file here${served}; the new version is numbered after them${replaces} (for another prompt, choose another id)`;
}

function createdLines(r: NewVersionResult): string[] {
  const lines = [`created ${r.file}${r.from ? ` from ${r.from}` : ''}`, `next: edit it (a draft until its first deploy: edit and eval it as often as you like), then \`promptctl lint ${r.fromCwd ?? r.file}\``];
  if (r.suites.length) return [...lines.slice(0, 1), `${lines[1]} and \`promptctl eval ${r.id}@${r.version}\``];
  // Without a suite, eval refuses the version (exit 2): say so now, with what to write.
  const ref = `${r.id}@${r.version}`;
  if (!r.suiteExample) return [...lines, `no suite applies to ${ref} (each suite of ${r.id} leaves it out of its \`versions\` range), so eval has nothing to test: widen one in evalsets/${r.id}/, or add one`];
  return [...lines, `${r.id} has no suite yet, so eval has nothing to test. A minimal one, to edit and save as ${r.suiteExample.file}:`, ...r.suiteExample.text.trimEnd().split('\n').map((l) => `  ${l}`)];
}

export function redteamText(r: RedteamGenerateResult): string[] {
  const { file, cases, injectInto, casesFile, warnings } = r.generated;
  return [
    casesFile ? `wrote ${casesFile}: ${cases} attack cases injected into {{${injectInto}}}, and ${file}, which reads them` : `wrote ${file}: ${cases} attack cases injected into {{${injectInto}}}`,
    ...warnings.map((w) => `warning: ${w}`),
    // lint takes paths from the current folder; the lines above name files from the project root.
    `next: review it, then \`promptctl lint ${r.fromCwd ?? file}\` and \`promptctl eval ${r.id}@${r.version} --suite ${r.suite}\``,
  ];
}
