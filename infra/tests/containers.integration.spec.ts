import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertStackReachable, stackEndpoints } from '@mqtrace/config';
import { findJourney, traceModelChecks } from '@mqtrace/journey';
import { TempoClient } from '@mqtrace/trace-query';
import { INFRA_DIR, runProgram, runScript } from './support/scripts.js';
import { SERVICE_NAMES, serviceUrl, stopAllServices } from './support/services.js';

// The images we own, built and run for real with Podman (no registry can be pulled from
// here): the Node base image from a Debian root filesystem and the pinned Node, the five
// services' images from the one Dockerfile, and the five containers started by Debian's
// docker-compose through Podman's API socket, against the native stack. One journey
// through them must check out in Tempo.
const REPO_DIR = join(INFRA_DIR, '..');
const PROJECT = 'mqtrace-test';
const COMPOSE = ['-p', PROJECT, '-f', join(REPO_DIR, 'docker-compose.yml'), '-f', join(INFRA_DIR, 'docker', 'native-stack.yml')];
/** Marks the spans of this run's containers (`deployment.environment.name`), to tell them from the native services'. */
const ENVIRONMENT = `container-test-${randomBytes(4).toString('hex')}`;
const tempo = new TempoClient(stackEndpoints().tempoUrl);

describe('the services in containers (Podman, the Dockerfile, docker-compose through the Podman socket)', () => {
  let dockerHost = '';
  const compose = (args: string[]) => runProgram('docker-compose', [...COMPOSE, ...args], { DOCKER_HOST: dockerHost, DEPLOYMENT_ENVIRONMENT: ENVIRONMENT, COMPOSE_INTERACTIVE_NO_CLI: '1' });
  const podman = (args: string[]) => runScript('podman.sh', args);

  before(
    async () => {
      await assertStackReachable(['kafka', 'collector', 'tempo']);
      const built = await runScript('container-images.sh', ['build', ...SERVICE_NAMES]);
      assert.equal(built.code, 0, built.stderr.slice(-5000));
      // The containers use the services' ports on the host network.
      await stopAllServices();
      const socket = await runScript('podman.sh', ['socket-up']);
      assert.equal(socket.code, 0, socket.stderr);
      dockerHost = socket.stdout.trim();
      // A run stopped half-way (Ctrl-C, a timeout) leaves its containers on the services'
      // ports: take them down before starting new ones.
      const leftovers = await compose(['down', '--remove-orphans', '--volumes']);
      assert.equal(leftovers.code, 0, leftovers.stderr);
    },
    { timeout: 40 * 60_000 },
  );
  after(async () => {
    const down = await compose(['down', '--remove-orphans', '--volumes']);
    await runScript('podman.sh', ['socket-down']);
    assert.equal(down.code, 0, down.stderr);
    const left = await podman(['ps', '--all', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Names}}']);
    assert.equal(left.stdout.trim(), '', 'no container left');
    const networks = await podman(['network', 'ls', '--format', '{{.Name}}']);
    assert.deepEqual(networks.stdout.split('\n').filter((name) => name.startsWith(PROJECT)), [], 'no network left');
  });

  it('each image runs as a non-root user with production dependencies only, and OpenTelemetry loaded first', async () => {
    for (const service of SERVICE_NAMES) {
      const inspected = await podman(['image', 'inspect', `localhost/mqtrace/${service}:0.1.0`, '--format', '{{.Config.User}} {{json .Config.Cmd}}']);
      assert.equal(inspected.code, 0, inspected.stderr);
      assert.match(inspected.stdout, /^node /, `${service} runs as node`);
      assert.match(inspected.stdout, /node --import @mqtrace\/telemetry\/register apps\/\$APP\/dist\/main\.js/);
    }
    // Dev dependencies of the workspace are not there; a production one is.
    const resolvable = await podman(['run', '--rm', '--network=none', 'localhost/mqtrace/order-api:0.1.0', 'node', '-e', "for (const name of ['eslint', 'nx', 'playwright-core', '@nestjs/core']) { try { import.meta.resolve(name); console.log(name); } catch {} }"]);
    assert.equal(resolvable.code, 0, resolvable.stderr);
    assert.deepEqual(resolvable.stdout.trim().split('\n'), ['@nestjs/core']);
    const whoami = await podman(['run', '--rm', '--network=none', 'localhost/mqtrace/order-api:0.1.0', 'id', '-u']);
    assert.equal(whoami.stdout.trim(), '1000');
  });

  it('docker-compose starts the five containers against the native stack, waiting on their health checks, and an order\'s journey through them checks out in Tempo', { timeout: 6 * 60_000 }, async () => {
    // order-api waits (depends_on: service_healthy) for the four consumers' health checks.
    // Without systemd Podman schedules none, so they are run here while compose waits,
    // at the interval the compose file gives them (5 s; a failure counts once the start
    // period is over, and 30 in a row make a container unhealthy).
    let composed = false;
    const up = compose(['up', '--detach', '--no-deps', '--no-build', ...SERVICE_NAMES]).finally(() => (composed = true));
    while (!composed) {
      const names = await podman(['ps', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Names}}']);
      await Promise.all(names.stdout.split('\n').filter(Boolean).map((name) => podman(['healthcheck', 'run', name])));
      for (let waited = 0; waited < 5_000 && !composed; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const started = await up;
    assert.equal(started.code, 0, started.stderr);
    for (const service of SERVICE_NAMES.filter((one) => one !== 'order-api')) {
      const health = await podman(['inspect', `${PROJECT}_${service}_1`, '--format', '{{.State.Health.Status}}']);
      assert.equal(health.stdout.trim(), 'healthy', `${service}'s health check passed`);
    }
    // order-api's own health check: nothing waits on it, so it is asked here.
    const healthyBy = Date.now() + 120_000;
    while ((await podman(['healthcheck', 'run', `${PROJECT}_order-api_1`])).code !== 0) {
      if (Date.now() > healthyBy) {
        const logs = await compose(['logs', '--no-color', '--tail', '40', 'order-api']);
        assert.fail(`order-api's container not healthy after 120 s:\n${logs.stdout}${logs.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    assert.ok(await fetch(`${serviceUrl('order-api')}/health/ready`).then((response) => response.ok));
    const response = await fetch(`${serviceUrl('order-api')}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'container-test', currency: 'EUR', paymentMethod: 'tok_approved', items: [{ sku: 'sku-1', quantity: 1 }] }),
    });
    assert.equal(response.status, 202, await response.clone().text());
    const { orderId } = (await response.json()) as { orderId: string };

    // The journey as verify checks it, until every check holds.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const journey = await findJourney({ orderId }, { search: tempo }, { sinceSeconds: 600 });
      const failed = journey ? traceModelChecks(journey).filter((check) => !check.ok) : [{ reason: 'no trace yet' }];
      if (journey && failed.length === 0 && journey.spans.some((span) => span.name === 'process orders.status')) {
        assert.deepEqual([...new Set(journey.spans.map((span) => span.service))].sort(), [...SERVICE_NAMES].sort());
        break;
      }
      if (Date.now() > deadline) assert.fail(`the journey of ${orderId} did not check out:\n${failed.map((check) => check.reason).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    // Its spans came from the containers, not from services started natively.
    const fromContainers = await tempo.searchTraceIds(`{ resource.deployment.environment.name = "${ENVIRONMENT}" && span.order.id = "${orderId}" }`, { sinceSeconds: 600 });
    assert.ok(fromContainers.length >= 4, `the order, its three branches: ${fromContainers.length} traces from the containers`);
  });
});
