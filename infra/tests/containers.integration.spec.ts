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
    const devDependency = await podman(['run', '--rm', '--network=none', 'localhost/mqtrace/order-api:0.1.0', 'node', '-e', "import('typescript').then(() => process.exit(0), () => process.exit(3))"]);
    assert.equal(devDependency.code, 3, `typescript (a dev dependency) is not in the image: ${devDependency.stderr}`);
    const whoami = await podman(['run', '--rm', '--network=none', 'localhost/mqtrace/order-api:0.1.0', 'id', '-u']);
    assert.equal(whoami.stdout.trim(), '1000');
  });

  it('docker-compose starts the five containers against the native stack, and an order\'s journey through them checks out in Tempo', async () => {
    const up = await compose(['up', '--detach', '--no-deps', '--no-build', ...SERVICE_NAMES]);
    assert.equal(up.code, 0, up.stderr);
    // Podman runs no health checks without systemd, so readiness is asked here.
    for (const service of SERVICE_NAMES) {
      const deadline = Date.now() + 120_000;
      while (!(await fetch(`${serviceUrl(service)}/health/ready`).then((response) => response.ok, () => false))) {
        if (Date.now() > deadline) {
          const logs = await compose(['logs', '--no-color', '--tail', '40', service]);
          assert.fail(`${service}'s container not ready after 120 s:\n${logs.stdout}${logs.stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
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
