import { describe, expect, it } from 'vitest';
import { GateError, InputError, InternalError, InterruptedError, UnavailableError } from '../../src/core/errors.js';
import { ReplicaDownError } from '../../src/infra/model/preflight.js';
import { CircuitOpenError, CompletionError, KeyRejectedError } from '../../src/infra/model/errors.js';
import { ServerFeatureMissingError } from '../../src/infra/model/server-features.js';
import { UnknownEnvironmentError, UnknownPromptError, UnverifiedRecordError } from '../../src/registry-api.js';

/** A library user's log and a stack trace say which error it was, not just "Error" or its base class. */
describe('error names', () => {
  it.each([
    [new GateError({ message: 'm' }), 'GateError', 1],
    [new InputError({ message: 'm' }), 'InputError', 2],
    [new UnavailableError({ message: 'm' }), 'UnavailableError', 3],
    [new ReplicaDownError({ message: 'm' }), 'ReplicaDownError', 3],
    [new InterruptedError({ message: 'm', signal: 'SIGTERM' }), 'InterruptedError', 143],
    [new InternalError({ message: 'm' }), 'InternalError', 70],
  ] as const)('%s', (error, name, exitCode) => {
    expect(error.name).toBe(name);
    expect(String(error)).toBe(`${name}: m`);
    expect(error.stack).toMatch(new RegExp(`^${name}: m`));
    expect(error.exitCode).toBe(exitCode);
  });

  // Every subclass of a typed error (every `class X extends …Error` in src/ that is a PromptctlError) names itself.
  it.each([
    [new UnknownEnvironmentError('prod', ['production'], false), 'UnknownEnvironmentError', InputError],
    [new UnknownPromptError('support-answr', ['support-answer']), 'UnknownPromptError', InputError],
    [new UnverifiedRecordError({ message: 'm' }), 'UnverifiedRecordError', UnavailableError],
    [new CircuitOpenError(3, ['http://127.0.0.1:1']), 'CircuitOpenError', UnavailableError],
    [new KeyRejectedError(401, 'http://127.0.0.1:1', 'w', 'h'), 'KeyRejectedError', CircuitOpenError],
    [new ServerFeatureMissingError('m', 'w', 'h'), 'ServerFeatureMissingError', CircuitOpenError],
    [new CompletionError({ message: 'm', transient: true, attempts: 1 }), 'CompletionError', Error],
  ] as const)('subclass %#', (error, name, base) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(base);
    expect(String(error).startsWith(`${name}: `)).toBe(true);
    expect(error.stack?.startsWith(`${name}: `)).toBe(true);
  });
});
