import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJavaMajor } from '../../src/stack/java.ts';

test('reads the major version from the ways java -version prints it', () => {
  assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15'), 17);
  assert.equal(parseJavaMajor('openjdk version "21" 2023-09-19'), 21);
  assert.equal(parseJavaMajor('java version "1.8.0_392"'), 8);
  assert.equal(parseJavaMajor('command not found'), undefined);
});
