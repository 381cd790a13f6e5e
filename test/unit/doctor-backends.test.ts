import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DoctorCheck, withBackends } from '../../src/stack/doctor.ts';

const ok = (name: string): DoctorCheck => ({ name, verdict: 'ok', detail: 'fine' });
const fail = (name: string): DoctorCheck => ({ name, verdict: 'fail', detail: `${name} missing` });
const base = ['node', 'java', 'maven', 'memory', 'disk'].map(ok);
const verdicts = (checks: DoctorCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c.verdict]));

describe('doctor: which backends this machine can run', () => {
  it('both, when nothing fails', () => {
    const v = verdicts(withBackends([...base, ok('clickhouse'), ok('docker engine'), ok('docker base image')]));
    assert.equal(v['backend local'], 'ok');
    assert.equal(v['backend docker'], 'ok');
  });

  it('docker only: a missing ClickHouse is a warning, and the local line says what to install', () => {
    const checks = withBackends([...base, fail('clickhouse'), ok('docker engine'), ok('docker base image')]);
    const v = verdicts(checks);
    assert.equal(v.clickhouse, 'warn');
    assert.match(checks.find((c) => c.name === 'clickhouse')?.detail ?? '', /only the local backend needs it/);
    assert.equal(v['backend local'], 'warn');
    assert.match(checks.find((c) => c.name === 'backend local')?.detail ?? '', /cannot run here \(clickhouse\): install/);
    assert.equal(v['backend docker'], 'ok');
  });

  it('local only: no engine is a warning that says how to start Docker', () => {
    const checks = withBackends([...base, ok('clickhouse'), fail('docker engine'), ok('docker base image')]);
    assert.equal(verdicts(checks)['docker engine'], 'warn');
    assert.match(checks.find((c) => c.name === 'backend docker')?.detail ?? '', /cannot run here \(docker engine\): start Docker/);
  });

  it('Docker and Node only (no Java, no Maven): the docker backend runs', () => {
    const v = verdicts(withBackends([ok('node'), fail('java'), fail('maven'), fail('clickhouse'), ok('docker engine'), ok('docker base image'), ok('memory'), ok('disk')]));
    assert.equal(v.java, 'warn');
    assert.equal(v.maven, 'warn');
    assert.equal(v['backend docker'], 'ok');
    assert.equal(v['backend local'], 'warn');
  });

  it('neither: what both need stays a failure', () => {
    const v = verdicts(withBackends([...base.filter((c) => c.name !== 'disk'), fail('disk'), fail('clickhouse'), fail('docker engine')]));
    assert.equal(v.disk, 'fail');
    assert.equal(v.clickhouse, 'fail');
    assert.equal(v['backend local'], 'fail');
    assert.equal(v['backend docker'], 'fail');
  });
});
