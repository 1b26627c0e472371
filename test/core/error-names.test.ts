import { describe, expect, it } from 'vitest';
import { GateError, InputError, InternalError, InterruptedError, UnavailableError } from '../../src/core/errors.js';
import { ReplicaDownError } from '../../src/infra/model/preflight.js';

/** A library user's log and a stack trace say which error it was, not just "Error". */
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
});
