import type { InitResult } from '../app/init.js';
import type { NewVersionResult } from '../app/new-version.js';
import type { RedteamGenerateResult } from '../app/redteam.js';

/** Lines for the commands that write files for the user to edit: `init`, `new`, `redteam generate`. */

export function initText(r: InitResult): string[] {
  return [
    `initialised promptctl project in ${r.root}`,
    ...r.created.map((f) => `  created ${f}`),
    ...r.kept.map((f) => `  kept    ${f} (already exists, not overwritten)`),
    '',
    r.blank
      ? 'next: promptctl new <prompt-id> (its first version, 1.0.0), then promptctl lint'
      : 'next: promptctl lint, then start a vLLM server (or `npx promptctl-sim --port 8000`) and run promptctl eval',
  ];
}

export function newVersionText(r: NewVersionResult): string[] {
  return [`created ${r.file}${r.from ? ` from ${r.from}` : ''}`, `next: edit it (a draft until its first deploy: edit and eval it as often as you like), then \`promptctl lint ${r.file}\``];
}

export function redteamText(r: RedteamGenerateResult): string[] {
  const { file, cases, injectInto, casesFile, warnings } = r.generated;
  return [
    casesFile ? `wrote ${casesFile}: ${cases} attack cases injected into {{${injectInto}}}, and ${file}, which reads them` : `wrote ${file}: ${cases} attack cases injected into {{${injectInto}}}`,
    ...warnings.map((w) => `warning: ${w}`),
    `next: review it, then \`promptctl lint ${file}\` and \`promptctl eval ${r.id}@${r.version} --suite ${r.suite}\``,
  ];
}
