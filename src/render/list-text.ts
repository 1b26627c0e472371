import type { ListedPrompt, ListResult } from '../app/list.js';
import { formatProblem } from '../core/errors.js';

/** `list`'s lines: one per prompt, then the problems and where to look. */
export function listText({ listing, hiddenFiles }: ListResult): string[] {
  const { prompts, problems, problemDetails } = listing;
  const versionText = (p: ListedPrompt) => p.versions.map((v) => `${v} ${p.states[v] === 'unknown' ? 'state unknown' : p.states[v]}${p.edited.includes(v) ? ' (EDITED after release)' : ''}${p.takenOn?.versions.includes(v) ? ` (NUMBER TAKEN on ${p.takenOn.base})` : ''}`).join(', ');
  return [
    ...(prompts.length ? [] : ['no prompts yet: `promptctl new <id>` creates one']),
    ...prompts.map((p) => `${p.id}  latest ${p.latest}  (${p.versions.length} version${p.versions.length === 1 ? '' : 's'}: ${versionText(p)})  suites: ${p.suites.join(', ') || 'none'}`),
    ...(problemDetails.length ? ['', ...problemDetails.map((p) => `  ${formatProblem(p)}`)] : []),
    ...(problems
      ? [`${problems} problem${problems === 1 ? '' : 's'}${hiddenFiles ? ` (${hiddenFiles} file${hiddenFiles === 1 ? '' : 's'} with errors not listed above)` : ''}: \`promptctl lint\` checks everything`]
      : []),
  ];
}
