import { describe, expect, it } from 'vitest';
import { goesBackwards, previousEnvironment } from '../../src/core/environments.js';

const ORDER = ['development', 'staging', 'production'];

describe('previousEnvironment: the one rule for "the environment before this one"', () => {
  it.each([
    ['development', null],
    ['staging', 'development'],
    ['production', 'staging'],
    ['qa', null],
  ])('%s -> %s', (env, previous) => {
    expect(previousEnvironment(ORDER, env)).toBe(previous);
  });

  it('an empty or one-environment order has no previous environment', () => {
    expect(previousEnvironment([], 'production')).toBeNull();
    expect(previousEnvironment(['production'], 'production')).toBeNull();
  });
});

describe('goesBackwards', () => {
  it.each([
    ['staging', 'production', false],
    ['development', 'production', false],
    ['production', 'staging', true],
    ['staging', 'development', true],
    ['staging', 'staging', true],
  ])('%s -> %s: %s', (from, to, backwards) => {
    expect(goesBackwards(ORDER, from, to)).toBe(backwards);
  });
});
