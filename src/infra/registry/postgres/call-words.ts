import type { RegistryCall } from '../types.js';

/**
 * What each registry call does, in a user's words, for a fault's "while …": a person reads
 * "while recording eval results", never the method's name ("recordSamples"). A Record, so the
 * compiler asks for the words of every new call.
 */
const DOING: Record<RegistryCall, string> = {
  registerVersion: 'registering a prompt version',
  getVersion: 'reading a prompt version',
  getVersions: 'reading prompt versions',
  supersedeVersion: 'replacing a draft version',
  listVersions: 'listing prompt versions',
  listSupersededVersions: "reading drafts' earlier contents",
  listPromptIds: 'listing prompts',
  getOrCreateSecret: "reading the registry's canary key",
  createRun: 'recording a new eval run',
  recordSamples: 'recording eval results',
  finishRun: 'recording the end of an eval run',
  getRun: 'reading an eval run',
  listRuns: 'reading eval runs',
  newestRuns: 'reading the newest eval runs',
  findResumableRun: 'looking for an eval run to resume',
  getSamples: 'reading eval results',
  sampleTally: 'counting eval results',
  sampleDigests: 'reading eval results',
  acquireLease: 'claiming an eval run for this process',
  renewLease: "renewing this process's claim on an eval run",
  releaseLease: "releasing this process's claim on an eval run",
  liveLease: 'checking which process runs an eval run',
  getCachedResponse: 'reading cached model answers',
  getCachedResponses: 'reading cached model answers',
  putCachedResponse: 'caching a model answer',
  countCachedResponses: 'counting cached model answers',
  pruneCachedResponses: 'removing cached model answers',
  markTested: 'recording a tested mark',
  revokeTestedMark: 'revoking a tested mark',
  getTestedMark: 'reading tested marks',
  getTestedMarks: 'reading tested marks',
  listTestedMarks: 'reading tested marks',
  appendEvent: 'appending an event to the audit log',
  listEvents: 'reading the audit log',
  countEvents: 'reading the audit log',
  latestEvents: 'reading the audit log',
  releases: 'reading what is deployed where',
  versionReleases: 'reading what is deployed where',
  missingPrivileges: "checking the role's privileges",
  listEnvironments: 'reading the environments',
  verifyChain: 'verifying the audit log',
  chainHead: 'reading the audit log',
  eventsAt: 'reading the audit log',
  chainAround: 'reading the audit log',
  firstSignedSeq: 'reading the audit log',
  lockDecision: 'waiting for the turn to deploy or roll back',
  stats: "counting the registry's rows",
  time: "reading the server's clock",
};

export const doingCall = (name: RegistryCall): string => DOING[name];
