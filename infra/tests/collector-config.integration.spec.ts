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

  it('sampler.yaml is valid for the built collector', async () => {
    const result = await runProgram(collector, ['validate', '--config', join(INFRA_DIR, 'otelcol', 'sampler.yaml')]);
    assert.equal(result.code, 0, result.stderr);
  });

  // The gateway's resolver comes whole from OTELCOL_SAMPLER_RESOLVER: the static list
  // stack.sh gives, and the DNS name docker-compose.yml gives, read from those files.
  it('gateway.yaml is valid with the resolver stack.sh gives and the one docker-compose.yml gives, and refused without one', async () => {
    const stackScript = await readFile(join(INFRA_DIR, 'scripts', 'stack.sh'), 'utf8');
    const compose = await readFile(join(INFRA_DIR, '..', 'docker-compose.yml'), 'utf8');
    const native = /OTELCOL_SAMPLER_RESOLVER="(\{static: \{hostnames: \[\$SAMPLER_1_OTLP, \$SAMPLER_2_OTLP\]\}\})"/.exec(stackScript)?.[1]?.replace('$SAMPLER_1_OTLP', '127.0.0.1:24317').replace('$SAMPLER_2_OTLP', '127.0.0.1:24327');
    const docker = /OTELCOL_SAMPLER_RESOLVER: '(.+)'/.exec(compose)?.[1];
    assert.ok(native && docker, 'both files set OTELCOL_SAMPLER_RESOLVER');
    const gateway = join(INFRA_DIR, 'otelcol', 'gateway.yaml');
    for (const resolver of [native, docker]) {
      const result = await runProgram(collector, ['validate', '--config', gateway], { OTELCOL_SAMPLER_RESOLVER: resolver });
      assert.equal(result.code, 0, `${resolver}: ${result.stderr}`);
    }
    const without = await runProgram(collector, ['validate', '--config', gateway], { OTELCOL_SAMPLER_RESOLVER: '' });
    assert.notEqual(without.code, 0);
    assert.match(without.stderr, /no resolvers specified/);
  });

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
