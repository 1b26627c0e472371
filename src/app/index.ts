export { lint, lintProject, LintOptions, type LintOutcome, type LintProgress, type LintResult } from './lint.js';
export { comparableText, diff, DiffOptions, type DiffResult } from './diff.js';
export { list, ListOptions, type ListedPrompt, type ListResult, type ProjectListing } from './list.js';
export { show, ShowOptions, type ShowResult } from './show.js';
export { renderPrompt, RenderPromptOptions, type RenderPromptResult } from './render-prompt.js';
export { newVersion, NewVersionOptions, type NewVersionResult } from './new-version.js';
export { init, InitOptions, type InitResult } from './init.js';
export { redteamGenerate, RedteamGenerateOptions, type GeneratedSuite, type RedteamGenerateResult } from './redteam.js';
