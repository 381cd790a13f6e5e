import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveSuites } from '../ci/suites.ts';

test('every test folder but unit, docker, e2e and ci is a live suite, and the stack smoke test runs last', () => {
  assert.deepEqual(liveSuites(['unit', 'stack', 'runbooks', 'labs', 'e2e', 'docker', 'ci', 'exercises']), ['exercises', 'labs', 'runbooks', 'stack']);
});

test('a checkout without a test/stack folder still runs its other live suites', () => {
  assert.deepEqual(liveSuites(['labs', 'unit']), ['labs']);
});
