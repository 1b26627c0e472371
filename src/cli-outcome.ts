import type { CliOutcome } from './cli.js';
import { isUnreadableReply, unreadableReplyWords } from './infra/registry/postgres/protocol-fault.js';

/**
 * What promptctl prints when a command ends, and the exit code it ends with. Shared by the binary
 * (src/bin/main.ts, which owns the process) and the in-process test helper, so both print
 * the same bytes and return the same code.
 */

export interface OutcomeWriters {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * Known errors print their message, problems, why and hint; anything else is a bug (exit 70),
 * printed with the secrets of `env` starred, and as an error object on stdout too under --json.
 */
export async function reportOutcome(outcome: CliOutcome, w: OutcomeWriters, env: Readonly<Record<string, string | undefined>> = {}): Promise<number> {
  if (outcome.error === undefined) return outcome.exitCode;
  // Loaded only when a command failed, so `--help` and `--version` stay small.
  const { isPromptctlError, formatError, ExitCode } = await import('./core/errors.js');
  const e = outcome.error;
  if (isPromptctlError(e)) {
    if (outcome.json) w.stdout(`${JSON.stringify(e.toJSON(), null, 2)}\n`);
    w.stderr(`${formatError(e)}\n`);
    return e.exitCode;
  }
  const { redactCrashText, secretValues } = await import('./core/secret-text.js');
  const secrets = secretValues(env, await secretVariablesOfProject(outcome.cwd));
  const message = redactCrashText(e instanceof Error ? e.message : String(e), secrets);
  const detail = redactCrashText(e instanceof Error ? (e.stack ?? e.message) : String(e), secrets);
  const hint = 'please report it with the command you ran.';
  // README: under --json every failure prints its error object on stdout, a bug's included.
  if (outcome.json) w.stdout(`${JSON.stringify({ error: 'InternalError', exitCode: ExitCode.bug, message: `promptctl hit a bug: ${message}`, hint }, null, 2)}\n`);
  // A bug's message may quote input; the stack keeps its lines, nothing else its control characters.
  const { escapeControlChars } = await import('./core/control-chars.js');
  w.stderr(`error: promptctl hit a bug: ${escapeControlChars(message)}\n${escapeControlChars(detail, '\n')}\nhint: ${hint}\n`);
  return ExitCode.bug;
}

/** The variables the config of the project at `cwd` names as secrets; none when it cannot be read (a bug is being reported). */
async function secretVariablesOfProject(cwd: string | undefined): Promise<string[]> {
  if (cwd === undefined) return [];
  try {
    const [path, { findProjectRoot, CONFIG_FILE }, { readFileBytes }, { secretVariablesNamedIn }] = await Promise.all([import('node:path'), import('./infra/project-config.js'), import('./infra/yaml-file.js'), import('./core/secret-text.js')]);
    // readFileBytes: a config that is a pipe must not hang the bug report.
    return secretVariablesNamedIn(readFileBytes(path.join(findProjectRoot(cwd), CONFIG_FILE), CONFIG_FILE).bytes?.toString('utf8') ?? '');
  } catch {
    return [];
  }
}

/**
 * An exception no command awaited reached the process (bin/main.ts): thrown in a library's socket
 * handler. pg's parser throwing on a reply it could not read is the registry connection's fault
 * (exit 3, said as every command says it); anything else is a bug (exit 70), printed as every bug is
 * (its stack with secrets starred, the error object under --json), never Node's exit 1, which is a
 * failed gate's code.
 */
export async function reportUncaught(e: unknown, w: OutcomeWriters, at: { json: boolean; cwd?: string; env: Readonly<Record<string, string | undefined>> }): Promise<number> {
  if (!isUnreadableReply(e)) return reportOutcome({ exitCode: 70, error: e, json: at.json, ...(at.cwd ? { cwd: at.cwd } : {}) }, w, at.env);
  const { UnavailableError } = await import('./core/errors.js');
  return reportOutcome({ exitCode: 3, error: new UnavailableError(unreadableReplyWords((e as Error).message)), json: at.json }, w, at.env);
}

/** Something escaped even the outcome report (runCli itself threw): a bug, exit 70. */
export function reportCrash(e: unknown, w: OutcomeWriters): number {
  w.stderr(`error: promptctl hit a bug: ${String(e)}\n`);
  return 70;
}

/** A stop signal that came once the command had reported its outcome: too late to change it. */
export function signalAfterOutcomeNote(signal: string, code: number): string {
  return `note: ${signal} arrived after the command had finished: too late to stop it, its outcome stands (exit ${code})`;
}
