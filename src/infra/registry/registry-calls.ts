import type { RegistryCall } from './types.js';

/**
 * Every call of the `Registry` interface besides path, transaction and close, as a list at run
 * time (for the backends that bind them). Written out, not derived, so the compiler checks that
 * the list covers every call.
 */
const CALLS: Record<RegistryCall, true> = {
  registerVersion: true,
  getVersion: true,
  getVersions: true,
  supersedeVersion: true,
  listVersions: true,
  listPromptIds: true,
  getOrCreateSecret: true,
  createRun: true,
  recordSamples: true,
  finishRun: true,
  getRun: true,
  listRuns: true,
  findResumableRun: true,
  getSamples: true,
  sampleTally: true,
  sampleDigest: true,
  acquireLease: true,
  renewLease: true,
  releaseLease: true,
  getCachedResponse: true,
  getCachedResponses: true,
  putCachedResponse: true,
  markTested: true,
  revokeTestedMark: true,
  getTestedMark: true,
  getTestedMarks: true,
  listTestedMarks: true,
  appendEvent: true,
  listEvents: true,
  latestEvents: true,
  releases: true,
  missingEvalPrivileges: true,
  listEnvironments: true,
  verifyChain: true,
  chainHead: true,
  eventsAt: true,
  lockDecision: true,
  stats: true,
};

export const REGISTRY_CALLS = Object.keys(CALLS) as RegistryCall[];
