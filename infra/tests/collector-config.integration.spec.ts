import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { INFRA_DIR, runProgram, runScript } from './support/scripts.js';

// The collector configs are validated by the collector that runs them: the binary
// built from infra/otelcol/builder-config.yaml, so a component missing from the
// manifest fails here, not at demo time.
describe('collector configuration', () => {
  let collector: string;

  before(async () => {
    const build = await runScript('provision-otelcol.sh');
    assert.equal(build.code, 0, build.stderr);
    collector = build.stdout.trim();
  });

  for (const file of ['gateway.yaml', 'sampler.yaml']) {
    it(`${file} is valid for the built collector`, async () => {
      const result = await runProgram(collector, ['validate', '--config', join(INFRA_DIR, 'otelcol', file)]);
      assert.equal(result.code, 0, result.stderr);
    });
  }

  it('validate rejects a config that uses a component the distribution lacks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'otelcol-'));
    const config = join(dir, 'broken.yaml');
    const sampler = await readFile(join(INFRA_DIR, 'otelcol', 'sampler.yaml'), 'utf8');
    await writeFile(config, sampler.replace('processors: [memory_limiter, tail_sampling, batch]', 'processors: [memory_limiter, groupbytrace]'));
    const result = await runProgram(collector, ['validate', '--config', config]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /groupbytrace/);
  });

  it('the distribution is built from the pinned component versions', async () => {
    const versions = await readFile(join(INFRA_DIR, 'versions.env'), 'utf8');
    const pinned = /^OTELCOL_VERSION=(.+)$/m.exec(versions)?.[1];
    const result = await runProgram(collector, ['components']);
    assert.equal(result.code, 0, result.stderr);
    for (const module of ['tailsamplingprocessor', 'loadbalancingexporter', 'otlpreceiver']) {
      assert.match(result.stdout, new RegExp(`${module} v${pinned}`));
    }
  });
});
