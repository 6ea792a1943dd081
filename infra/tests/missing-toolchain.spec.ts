import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runScript } from './support/scripts.js';

// A machine without Java or Go: the scripts must say what is missing, what to install,
// and how to use an existing stack instead, rather than fail somewhere inside a build.
const HIDDEN = new Set(['java', 'mvn', 'go']);
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

describe('provisioning on a machine without Java and Go', () => {
  let scratch: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mqtrace-no-toolchain-'));
    const bin = join(scratch, 'bin');
    await mkdir(bin);
    const linked = new Set<string>();
    for (const dir of SYSTEM_DIRS) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (HIDDEN.has(name) || linked.has(name)) continue;
        linked.add(name);
        await symlink(join(dir, name), join(bin, name));
      }
    }
    // An empty cache, so nothing already built can hide the missing tool.
    env = { PATH: bin, MQTRACE_CACHE_DIR: join(scratch, 'cache') };
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  it('Kafka: names Java, how to install it, and the external-stack alternative', async () => {
    const result = await runScript('provision-kafka.sh', [], env);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /'java' is needed to run Apache Kafka/);
    assert.match(result.stderr, /Install it: a Java 17\+ runtime/);
    assert.match(result.stderr, /KAFKA_BROKERS, OTEL_EXPORTER_OTLP_ENDPOINT, TEMPO_URL and JAEGER_URL/);
  });

  it('Tempo: names Go and how to install it', async () => {
    const result = await runScript('provision-tempo.sh', [], env);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /'go' is needed to build github.com\/grafana\/tempo/);
    assert.match(result.stderr, /Install it: Go >= 1.24/);
  });

  it('the collector: names Go', async () => {
    const result = await runScript('provision-otelcol.sh', [], env);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /'go' is needed to build the OpenTelemetry Collector/);
  });
});

describe('the HTTP fuzzer on a machine without a usable Python', () => {
  let scratch: string;
  let bin: string;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mqtrace-no-python-'));
    bin = join(scratch, 'bin');
    await mkdir(bin);
    const linked = new Set<string>();
    for (const dir of SYSTEM_DIRS) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (name.startsWith('python') || linked.has(name)) continue;
        linked.add(name);
        await symlink(join(dir, name), join(bin, name));
      }
    }
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  it('without python3: names it and how to install it', async () => {
    const result = await runScript('provision-schemathesis.sh', [], { PATH: bin, MQTRACE_CACHE_DIR: join(scratch, 'cache') });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /'python3' is needed to run Schemathesis/);
    assert.match(result.stderr, /Install it: Python 3\.11\+ with venv/);
  });

  it('with a python3 older than 3.11: says which one it found', async () => {
    const old = join(scratch, 'old-python');
    await mkdir(old);
    await writeFile(join(old, 'python3'), '#!/bin/sh\n[ "$1" = --version ] && echo "Python 3.9.2" && exit 0\nexit 1\n', { mode: 0o755 });
    const result = await runScript('provision-schemathesis.sh', [], { PATH: `${old}:${bin}`, MQTRACE_CACHE_DIR: join(scratch, 'cache') });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Schemathesis needs Python 3\.11 or newer; python3 is Python 3\.9\.2/);
  });
});
