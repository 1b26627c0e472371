/**
 * Typed errors. Every error a user can see carries an exit code from the product brief and a
 * three-part explanation modelled on Astro's error catalogue: what happened, why, what to do next.
 * Only the entry point (src/bin/main.ts) turns an error into a process exit code.
 */

import { escapeControlChars } from './control-chars.js';

export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  badInput: 2,
  unavailable: 3,
  bug: 70,
  /** 128 + the signal's number, as shells report a process stopped by it. */
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One problem in one file, as `file:line:col field: message`. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the offending field, e.g. `messages.0.content`; empty for the whole file. */
  field: string;
  message: string;
  severity: 'error' | 'warning';
  /** Stable rule id for lint problems, e.g. `template/undeclared-variable`. */
  rule?: string;
  /**
   * Set on a suite's one-line summary of the problems of its data file (`cases_from.file`), naming
   * that file: commands that look only at a prompt's suites see it; lint lists the rows themselves.
   */
  summarizes?: string;
}

/**
 * A problem as one line of text. Its file name, field path and message quote what project files
 * hold (a YAML key, a CSV column, a value), which a pull request may fill with a line break and
 * `::error …` (a forged CI annotation) or an escape sequence (a terminal's title, its clipboard):
 * every control character is shown escaped here, where every problem becomes text. `--json` keeps
 * the exact values.
 */
export function formatProblem(p: Problem, opts: ProblemWording = {}): string {
  // Line 0: no position (a deleted file), printed as the file alone, as ci and annotations name it.
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  const field = p.field ? ` ${p.field}:` : '';
  const tag = severityTag(p, opts);
  const rule = p.rule ? ` [${p.rule}]` : '';
  return escapeControlChars(`${where}${tag}${field} ${p.message}${rule}`);
}

/** `severity`: lists that mix errors and warnings (lint's, ci's lint step) name errors too, as warnings always are. */
export interface ProblemWording {
  severity?: boolean;
}

/** ` warning`, or ` error` where a list names both; nothing for an error among errors (a command's refusal). */
export function severityTag(p: Pick<Problem, 'severity'>, opts: ProblemWording = {}): string {
  return p.severity === 'warning' ? ' warning' : opts.severity ? ' error' : '';
}

export interface ErrorDetails {
  /** What happened, in one sentence. */
  message: string;
  /** Why it happened. */
  why?: string;
  /** What to do next. */
  hint?: string;
  /** File problems behind the error, reported all at once. */
  problems?: Problem[];
  cause?: unknown;
}

/** Each error class names itself (`err.name`), so a script's log and a stack trace say which it is. */
export abstract class PromptctlError extends Error {
  abstract readonly exitCode: ExitCode;
  abstract readonly kind: string;
  readonly why?: string;
  readonly hint?: string;
  readonly problems: Problem[];

  constructor(details: ErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.why = details.why;
    this.hint = details.hint;
    this.problems = details.problems ?? [];
  }

  toJSON(): Record<string, unknown> {
    return {
      error: this.kind,
      exitCode: this.exitCode,
      message: this.message,
      why: this.why,
      hint: this.hint,
      problems: this.problems.length ? this.problems : undefined,
    };
  }
}

/**
 * Exit 1: a gate failed (suite below threshold, deploy refused). A refusal whose cause is the
 * user's input (an edited version file) keeps its reasons but exits 2, as bad input does.
 */
export class GateError extends PromptctlError {
  readonly exitCode: ExitCode;
  override name = 'GateError';
  readonly kind = 'GateFailed';
  readonly reasons: string[];
  constructor(details: ErrorDetails & { reasons?: string[]; exitCode?: typeof ExitCode.gateFailed | typeof ExitCode.badInput }) {
    super(details);
    this.reasons = details.reasons ?? [];
    this.exitCode = details.exitCode ?? ExitCode.gateFailed;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reasons: this.reasons };
  }
}

/** Exit 2: bad usage, config or input files. */
export class InputError extends PromptctlError {
  readonly exitCode = ExitCode.badInput;
  override name = 'InputError';
  readonly kind = 'BadInput';
}

/** Exit 3: the server or the registry could not be reached or used. */
export class UnavailableError extends PromptctlError {
  readonly exitCode = ExitCode.unavailable;
  override name = 'UnavailableError';
  readonly kind = 'Unavailable';
}

/** The signals that stop a command gracefully, and the exit code each gives (128 + its number). */
export const STOP_SIGNALS = { SIGHUP: ExitCode.hangup, SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/**
 * Exit 129, 130 or 143: a signal stopped the command. Long commands stop dispatching, keep every
 * answer that arrived and say how to go on; the exit code names the signal.
 */
export class InterruptedError<P = unknown> extends PromptctlError {
  readonly exitCode: ExitCode;
  override name = 'InterruptedError';
  readonly kind = 'Interrupted';
  readonly signal: StopSignal;
  /** What the use case had when it stopped (e.g. the partial eval result), so a caller can still show it. */
  readonly partial?: P;
  constructor(details: ErrorDetails & { signal: StopSignal; partial?: P }) {
    super(details);
    this.signal = details.signal;
    this.exitCode = STOP_SIGNALS[details.signal];
    this.partial = details.partial;
  }
}

/** The signal an AbortSignal was aborted with (its reason), SIGINT when it names none. */
export function stopSignalOf(signal: AbortSignal | undefined): StopSignal | undefined {
  if (!signal?.aborted) return undefined;
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && reason in STOP_SIGNALS ? (reason as StopSignal) : 'SIGINT';
}

/** Exit 70: a bug in promptctl. */
export class InternalError extends PromptctlError {
  readonly exitCode = ExitCode.bug;
  override name = 'InternalError';
  readonly kind = 'InternalBug';
}

/** The `code` a Node, SQLite or PostgreSQL error carries (`ENOENT`, `SQLITE_BUSY`, `57014`), if any. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What stopped a command, as its reports record it (ci's result, eval's JUnit and summary): the
 * error's kind (`error`, as in every JSON error), exit code, words and problems.
 */
export interface StopRecord {
  error: string;
  exitCode: number;
  message: string;
  why?: string;
  hint?: string;
  problems: Problem[];
}

export function stopRecordOf(e: PromptctlError): StopRecord {
  return { error: e.kind, exitCode: e.exitCode, message: e.message, why: e.why, hint: e.hint, problems: e.problems };
}

export function isPromptctlError(e: unknown): e is PromptctlError {
  return e instanceof PromptctlError;
}

/** Render an error for a human: the message, every problem, then why and what to do. */
export function formatError(e: PromptctlError): string {
  return formatErrorParts({ message: e.message, why: e.why, hint: e.hint, problems: e.problems, reasons: e instanceof GateError ? e.reasons : [] });
}

/**
 * An error's parts as lines (a thrown error, or one a result carries, such as ci's): each part is one
 * line with its control characters escaped, as in `formatProblem`, since messages quote file names,
 * values and git's or a server's words.
 */
export function formatErrorParts(e: { message: string; why?: string; hint?: string; problems?: readonly Problem[]; reasons?: readonly string[] }): string {
  const lines = [`error: ${escapeControlChars(e.message)}`];
  for (const p of e.problems ?? []) lines.push(`  ${formatProblem(p)}`);
  for (const r of e.reasons ?? []) lines.push(`  - ${escapeControlChars(r)}`);
  if (e.why) lines.push(`why: ${escapeControlChars(e.why)}`);
  if (e.hint) lines.push(`hint: ${escapeControlChars(e.hint)}`);
  return lines.join('\n');
}
