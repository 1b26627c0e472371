import type { RegistryCall } from './types.js';

/**
 * Every call of the `Registry` interface besides path, transaction, readSnapshot and close, as a
 * list at run time (for the backends that bind them), each with whether it may write. Written
 * out, not derived, so the compiler checks that the list covers every call.
 */
const CALLS: Record<RegistryCall, 'read' | 'write'> = {
  registerVersion: 'write',
  getVersion: 'read',
  getVersions: 'read',
  supersedeVersion: 'write',
  listVersions: 'read',
  listSupersededVersions: 'read',
  listPromptIds: 'read',
  getOrCreateSecret: 'write',
  createRun: 'write',
  recordSamples: 'write',
  finishRun: 'write',
  getRun: 'read',
  listRuns: 'read',
  newestRuns: 'read',
  findResumableRun: 'read',
  getSamples: 'read',
  sampleTally: 'read',
  sampleDigests: 'read',
  acquireLease: 'write',
  renewLease: 'write',
  releaseLease: 'write',
  liveLease: 'read',
  getCachedResponse: 'read',
  getCachedResponses: 'read',
  putCachedResponse: 'write',
  countCachedResponses: 'read',
  pruneCachedResponses: 'write',
  markTested: 'write',
  revokeTestedMark: 'write',
  getTestedMark: 'read',
  getTestedMarks: 'read',
  listTestedMarks: 'read',
  appendEvent: 'write',
  listEvents: 'read',
  countEvents: 'read',
  latestEvents: 'read',
  releases: 'read',
  versionReleases: 'read',
  missingPrivileges: 'read',
  listEnvironments: 'read',
  verifyChain: 'read',
  chainHead: 'read',
  eventsAt: 'read',
  chainAround: 'read',
  firstSignedSeq: 'read',
  lockDecision: 'write',
  stats: 'read',
  time: 'read',
};

export const REGISTRY_CALLS = Object.keys(CALLS) as RegistryCall[];

/** Whether `call` may write (and so takes SQLite's write lock). */
export const writes = (call: RegistryCall): boolean => CALLS[call] === 'write';
