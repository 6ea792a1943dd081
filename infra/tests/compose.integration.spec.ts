import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { INFRA_DIR, runProgram, runScript } from './support/scripts.js';

// docker-compose.yml as a real implementation reads it (Debian's docker-compose, which
// validates against the compose schema and resolves anchors, merges and variables), and
// held against the documented settings, the native runner and the pinned versions.
const REPO_DIR = join(INFRA_DIR, '..');
/** What `docker compose up` reads by default: the file and the host ports of its override. */
const COMPOSE_FILES = ['-f', join(REPO_DIR, 'docker-compose.yml'), '-f', join(REPO_DIR, 'docker-compose.override.yml')];
const SERVICES = ['order-api', 'fulfillment-worker', 'inventory', 'payments', 'notification'] as const;

interface ComposeService {
  readonly image?: string;
  readonly environment?: Record<string, string | number | null>;
  readonly mem_limit?: string | number;
  readonly deploy?: { replicas?: number };
  readonly depends_on?: Record<string, { condition: string }>;
  readonly healthcheck?: { test: string[] };
  readonly ports?: Array<string | { published: number | string; target: number | string }>;
}

/** `docker-compose config`: the file as Compose resolves it, with a clean environment (no overrides from this shell). */
async function resolvedCompose(args: string[] = []): Promise<{ services: Record<string, ComposeService> }> {
  const overrides = Object.fromEntries(Object.keys(process.env).filter((name) => /^(TAIL_SAMPLING|TRACE_|PAYMENTS_|INVENTORY_|LOAD_|LOG_LEVEL|SERVICE_VERSION|DEPLOYMENT_ENVIRONMENT)/.test(name)).map((name) => [name, '']));
  const result = await runProgram('docker-compose', [...COMPOSE_FILES, ...args, 'config'], { ...overrides, COMPOSE_PROJECT_NAME: 'mqtrace' });
  assert.equal(result.code, 0, result.stderr);
  return parse(result.stdout) as { services: Record<string, ComposeService> };
}

/** The variables of the tables right under a heading of docs/configuration.md (up to the next heading). */
function documentedVariables(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}`);
  assert.ok(start >= 0, `docs/configuration.md has a section "${heading}"`);
  const rest = markdown.slice(start + heading.length + 1);
  const end = rest.search(/\n#{1,6} /);
  const section = end >= 0 ? rest.slice(0, end) : rest;
  return [...section.matchAll(/^\| ((?:`[A-Z0-9_]+`(?:, )?)+) \|/gm)].flatMap((match) => [...(match[1] ?? '').matchAll(/`([A-Z0-9_]+)`/g)].map((name) => name[1] ?? ''));
}

describe('docker-compose.yml', () => {
  let compose: { services: Record<string, ComposeService> };
  let docs: string;

  before(async () => {
    const tools = await runScript('podman.sh', ['tools']);
    assert.equal(tools.code, 0, tools.stderr);
    compose = await resolvedCompose();
    docs = await readFile(join(REPO_DIR, 'docs', 'configuration.md'), 'utf8');
  });

  it('is valid for Debian\'s docker-compose, and so is the production-like profile, which keeps a tenth of the ordinary traces', async () => {
    const sampler = compose.services['otel-sampler'];
    assert.equal(sampler?.environment?.['TAIL_SAMPLING_BASELINE_PERCENT'], '100', 'the default profile keeps every trace');
    assert.equal(sampler?.deploy?.replicas, 2, 'two tail-sampling replicas');
    const productionLike = await resolvedCompose(['--env-file', join(INFRA_DIR, 'docker', 'production-like.env')]);
    assert.equal(productionLike.services['otel-sampler']?.environment?.['TAIL_SAMPLING_BASELINE_PERCENT'], '10');
    assert.equal(productionLike.services['otel-sampler']?.environment?.['TAIL_SAMPLING_DECISION_WAIT'], '10s');
  });

  it('publishes on the host what the README names: order-api 3000, Grafana 3100, Jaeger 16686, Tempo 3200, the journey page 3010, OTLP 4318', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services).flatMap(([name, service]) => (service.ports ?? []).map((port) => [name, typeof port === 'string' ? port : `${port.published}:${port.target}`])),
    );
    assert.deepEqual(published, { 'order-api': '3000:3000', grafana: '3100:3000', jaeger: '16686:16686', tempo: '3200:3200', 'journey-page': '3010:3010', 'otel-gateway': '4318:4318' });
  });

  for (const service of SERVICES) {
    it(`${service}: the compose file names exactly the settings documented for it and those the native runner sets`, async () => {
      const inCompose = Object.keys(compose.services[service]?.environment ?? {}).sort();
      const runner = await nativeRunnerVariables();
      const documented = [
        ...documentedVariables(docs, '## Every service (`@mqtrace/service-kit`)'),
        'KAFKA_BROKERS',
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        ...documentedVariables(docs, `### ${service}`),
        ...documentedVariables(docs, '## Tracing switches (`@mqtrace/kafka-tracing`)'),
      ];
      const expected = [...new Set([...documented, ...runner])].sort();
      assert.deepEqual(
        { onlyInCompose: inCompose.filter((name) => !expected.includes(name)), missingFromCompose: expected.filter((name) => !inCompose.includes(name)) },
        { onlyInCompose: [], missingFromCompose: [] },
      );
    });
  }

  for (const [tier, config] of [['otel-gateway', 'gateway.yaml'], ['otel-sampler', 'sampler.yaml']] as const) {
    it(`${tier}: every sampling, memory and debug setting ${config} reads is passed to the container (set in the shell, it reaches the collector)`, async () => {
      const read = [...(await readFile(join(INFRA_DIR, 'otelcol', config), 'utf8')).matchAll(/\$\{env:([A-Z0-9_]+)/g)].map((match) => match[1] ?? '');
      const settings = [...new Set(read.filter((name) => /^(TAIL_SAMPLING_|OTELCOL_MEMORY_|OTELCOL_DEBUG_)/.test(name)))];
      assert.ok(settings.length > 0, `${config} reads settings`);
      const environment = compose.services[tier]?.environment ?? {};
      assert.deepEqual(
        settings.filter((name) => environment[name] === undefined || environment[name] === ''),
        [],
        `settings ${config} reads that docker-compose.yml does not pass to ${tier}`,
      );
      const documented = documentedVariables(docs, '## The native stack (`infra/`)');
      assert.deepEqual(settings.filter((name) => !documented.includes(name)), [], 'settings not in docs/configuration.md');
    });
  }

  it('every service starts only once Kafka is healthy and the collectors answer; order-api after the four consumers', () => {
    for (const service of SERVICES) {
      const dependsOn = compose.services[service]?.depends_on ?? {};
      assert.equal(dependsOn['kafka']?.condition, 'service_healthy', service);
      assert.equal(dependsOn['collector-ready']?.condition, 'service_completed_successfully', service);
      assert.deepEqual(compose.services[service]?.healthcheck?.test, ['CMD', 'node', 'infra/docker/healthcheck.mjs'], `${service} is healthy when ready`);
    }
    for (const consumer of SERVICES.filter((one) => one !== 'order-api')) assert.equal(compose.services['order-api']?.depends_on?.[consumer]?.condition, 'service_healthy');
  });

  it('every container has a memory limit, and the total is the one the README states', async () => {
    const mebibytes = (limit: string | number | undefined) => {
      const match = /^(\d+)([mg])?$/i.exec(String(limit ?? ''));
      assert.ok(match, `a memory limit like 256m, got ${String(limit)}`);
      const value = Number(match[1]);
      return match[2]?.toLowerCase() === 'g' ? value * 1024 : match[2] ? value : value / 1024 / 1024;
    };
    let total = 0;
    for (const [name, service] of Object.entries(compose.services)) {
      assert.ok(service.mem_limit !== undefined, `${name} has a memory limit`);
      total += mebibytes(service.mem_limit) * (service.deploy?.replicas ?? 1);
    }
    const readme = await readFile(join(REPO_DIR, 'README.md'), 'utf8');
    assert.match(readme, new RegExp(`every container has a limit; together ${total} MiB`));
  });

  it('image versions match the native stack where both exist, and the Dockerfile\'s Node is the pinned one', async () => {
    const versions = Object.fromEntries([...(await readFile(join(INFRA_DIR, 'versions.env'), 'utf8')).matchAll(/^([A-Z_]+)=(.*)$/gm)].map((match) => [match[1], match[2]]));
    const tag = (service: string) => compose.services[service]?.image?.split(':').at(-1);
    assert.equal(tag('kafka'), versions['KAFKA_VERSION']);
    assert.equal(tag('otel-gateway'), versions['OTELCOL_VERSION']);
    assert.equal(tag('otel-sampler'), versions['OTELCOL_VERSION']);
    assert.equal(tag('jaeger'), versions['JAEGER_VERSION']);
    const dockerfile = await readFile(join(REPO_DIR, 'Dockerfile'), 'utf8');
    assert.equal(/^ARG NODE_VERSION=(.+)$/m.exec(dockerfile)?.[1], versions['NODE_VERSION']);
  });
});

/** What infra/scripts/services.sh and run-service.sh set for a service themselves (the rest they pass through). */
async function nativeRunnerVariables(): Promise<string[]> {
  const scripts = (await Promise.all(['services.sh', 'run-service.sh'].map((name) => readFile(join(INFRA_DIR, 'scripts', name), 'utf8')))).join('\n');
  const exported = [...scripts.matchAll(/^\s*export ([A-Z_][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? '');
  // `NAME="…" NAME="…" setsid bash run-service.sh`: the variables given to the service's start.
  const started = [...scripts.matchAll(/^(.*)setsid bash "\$INFRA_DIR\/scripts\/run-service\.sh"/gm)].flatMap((match) => [...(match[1] ?? '').matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map((name) => name[1] ?? ''));
  return [...new Set([...exported, ...started])];
}
