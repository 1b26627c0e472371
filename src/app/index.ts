export { deploy, DeployOptions, type DeployResult, type DeployOutcome } from './deploy.js';
export { promote, PromoteOptions, type PromoteResult, type BackwardsPromotion } from './promote.js';
export { rollback, RollbackOptions, type RollbackResult, type EditedTarget } from './rollback.js';
export { status, StatusOptions, type StatusResult, type StatusRow } from './status.js';
export { history, HistoryOptions, type HistoryResult } from './history.js';
export { getPrompt, exportPrompts, GetPromptOptions, ExportPromptsOptions, type BundledPrompt, type PromptBundle, type ExportPromptsResult } from './prompts.js';
export { auditVerify, type AuditVerifyResult } from './audit.js';
export { outcomeExitCode } from './outcome.js';
