// First: bounds regex backtracking before any expectation regex is compiled.
import '../infra/regex-backtracking.js';
export { lint, lintProject, LintOptions, type LintOutcome, type LintProgress, type LintResult } from './lint.js';
export { comparableText, diff, DiffOptions, type DiffResult } from './diff.js';
export { list, ListOptions, type ListedPrompt, type ListResult, type ProjectListing } from './list.js';
export { show, ShowOptions, type ShowResult } from './show.js';
export { renderPrompt, RenderPromptOptions, type RenderPromptResult } from './render-prompt.js';
export { newVersion, NewVersionOptions, type NewVersionResult } from './new-version.js';
export { init, InitOptions, type InitResult } from './init.js';
export { redteamGenerate, RedteamGenerateOptions, type GeneratedSuite, type RedteamGenerateResult } from './redteam.js';
export { deploy, DeployOptions, type DeployResult, type DeployOutcome } from './deploy.js';
export { promote, PromoteOptions, type PromoteResult, type BackwardsPromotion } from './promote.js';
export { rollback, RollbackOptions, type RollbackResult, type EditedTarget } from './rollback.js';
export type { Deployment } from '../core/deployment-stack.js';
export type { RollbackPlan } from '../core/rollback.js';
export type { ServedModel, SettingChange } from '../core/deployed-model.js';
export { status, StatusOptions, type StatusResult, type StatusRow } from './status.js';
export { power, findSuite, PowerOptions, type PowerResult } from './power.js';
export { history, HistoryOptions, type HistoryResult } from './history.js';
export { getPrompt, exportPrompts, GetPromptOptions, ExportPromptsOptions, type BundledPrompt, type PromptBundle, type ExportPromptsResult } from './prompts.js';
export { auditVerify, auditHead, type AuditVerifyResult } from './audit.js';
export { generateKeys } from './keys.js';
export { registryInfo, registryMigrate, registryPruneCache, type MigrateResult, type PruneCacheOptions, type PruneCacheReport, type RegistryStats } from './registry-admin.js';
export { registryPush, RegistryPushOptions, type PushProgress, type PushResult, type PushTable } from './registry-push.js';
export { registryRoles, RolesOptions, type RolesResult } from './registry-roles.js';
export type { RoleNames } from '../infra/registry/postgres/roles.js';
export { effectiveConfig, ConfigOptions, type EffectiveConfig } from './config.js';
export type { EnvironmentGates } from '../core/effective-gates.js';
export { outcomeExitCode } from './outcome.js';
export { runEval, EvalOptions, type RunEvalOptions, type EvalResult, type ReportFiles, type ReportFormats } from './eval.js';
export { verdictOf } from './eval-verdict.js';
export { compare, CompareOptions, type CompareRunOptions, type CompareResult } from './compare.js';
export { runCi, CiOptions, type RunCiOptions, type CiResult } from './ci.js';
export type { CiFormats } from './ci-files.js';
export { reportSources, evalReportSources, selectRuns, ReportOptions, type ReportSources } from './report.js';
export { pagedReportSources, type PagedReportSources } from './report-pages.js';
export type { PagedRun } from '../infra/eval/report-pages.js';
export type { HistoryPoint, HistorySeries, ExpectationsLookup } from './report-sources.js';
export { appContext, type AppOptions, type AppContext, type Env } from './context.js';
// What a caller types its own clock and progress callback with (`clock`, `onProgress`).
export type { Clock } from '../infra/clock.js';
export type { ProgressEvent } from '../core/schemas/report.js';
export type { ProgressCallback } from './progress.js';
export { InterruptedError, InputError, UnavailableError, GateError, InternalError, PromptctlError, ExitCode } from '../core/errors.js';
// From registry-api, which the bundle shares with the main entry (scripts/bundle.mjs): one class for both entries' instanceof.
export { UnverifiedRecordError } from '../registry-api.js';
// A writer that upgrades an older SQLite registry says so here (the CLI: one `warning:` line on stderr).
export { onRegistryNotice } from '../infra/registry-notices.js';
