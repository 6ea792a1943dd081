import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { JaegerClient, TempoClient, waitForTrace } from '@mqtrace/trace-query';
import { runScript } from './support/scripts.js';
import { exportTestTrace } from './support/test-trace.js';

// A second, private stack on other ports and in its own state folder, so this test can
// start and stop it without disturbing the stack the other tests use. It also proves
// that every address really comes from the environment.
const PRIVATE_PORTS = {
  KAFKA_PORT: '19092',
  KAFKA_CONTROLLER_PORT: '19093',
  TEMPO_HTTP_PORT: '13200',
  TEMPO_GRPC_PORT: '19095',
  TEMPO_MEMBERLIST_PORT: '17946',
  TEMPO_OTLP_GRPC_ENDPOINT: '127.0.0.1:14320',
  JAEGER_OTLP_GRPC_ENDPOINT: '127.0.0.1:14321',
  JAEGER_QUERY_HTTP_ENDPOINT: '127.0.0.1:16687',
  JAEGER_QUERY_GRPC_ENDPOINT: '127.0.0.1:16689',
  JAEGER_HEALTH_ENDPOINT: '127.0.0.1:13145',
  JAEGER_METRICS_PORT: '18890',
  OTELCOL_SAMPLER_1_OTLP_GRPC_ENDPOINT: '127.0.0.1:24318',
  OTELCOL_SAMPLER_1_HEALTH_ENDPOINT: '127.0.0.1:13144',
  OTELCOL_SAMPLER_1_METRICS_PORT: '18889',
  OTELCOL_SAMPLER_2_OTLP_GRPC_ENDPOINT: '127.0.0.1:24328',
  OTELCOL_SAMPLER_2_HEALTH_ENDPOINT: '127.0.0.1:13146',
  OTELCOL_SAMPLER_2_METRICS_PORT: '18891',
  OTELCOL_GATEWAY_OTLP_GRPC_ENDPOINT: '127.0.0.1:14317',
  OTELCOL_GATEWAY_OTLP_HTTP_ENDPOINT: '127.0.0.1:14318',
  OTELCOL_GATEWAY_HEALTH_ENDPOINT: '127.0.0.1:13143',
  OTELCOL_GATEWAY_METRICS_PORT: '18888',
};

/**
 * The pids of the processes that run (a zombie does not: it has exited, and only waits
 * for PID 1 to reap it, which in some containers takes a while), by pid, with their group.
 */
async function runningProcesses(): Promise<Array<{ pid: number; pgid: number }>> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid=,pgid=,stat=']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, , stat]) => pid && stat && !stat.startsWith('Z'))
    .map(([pid, pgid]) => ({ pid: Number(pid), pgid: Number(pgid) }));
}

describe('the stack scripts', () => {
  let stateDir: string;
  let env: NodeJS.ProcessEnv;

  const pids = async () => {
    const dir = join(stateDir, 'pids');
    const files = await readdir(dir).catch(() => [] as string[]);
    return Object.fromEntries(await Promise.all(files.map(async (file) => [file, Number(await readFile(join(dir, file), 'utf8'))] as const)));
  };

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'mqtrace-stack-'));
    env = { ...PRIVATE_PORTS, MQTRACE_STATE_DIR: stateDir, MQTRACE_LOG_DIR: join(stateDir, 'logs') };
  });
  after(async () => {
    await runScript('stack.sh', ['down'], env);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('up starts all six components (two tail-sampling instances) and status reports them ready', async () => {
    const up = await runScript('stack.sh', ['up'], env);
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(Object.keys(await pids()).sort(), ['jaeger.pid', 'kafka.pid', 'otelcol-gateway.pid', 'otelcol-sampler-1.pid', 'otelcol-sampler-2.pid', 'tempo.pid']);
    const status = await runScript('stack.sh', ['status'], env);
    assert.equal(status.code, 0, status.stdout);
    assert.equal(status.stdout.match(/ ready /g)?.length, 6);
  });

  it('carries a trace end to end on its own ports', async () => {
    const exported = await exportTestTrace(`http://${PRIVATE_PORTS.OTELCOL_GATEWAY_OTLP_HTTP_ENDPOINT}`);
    for (const store of [new TempoClient(`http://127.0.0.1:${PRIVATE_PORTS.TEMPO_HTTP_PORT}`), new JaegerClient(`http://${PRIVATE_PORTS.JAEGER_QUERY_HTTP_ENDPOINT}`)]) {
      const spans = await waitForTrace(store, exported.traceId, { until: (found) => found.length === 2 });
      assert.equal(spans?.length, 2, `${store.name} on its private port`);
    }
  });

  it('a second up is harmless: same processes, nothing restarted', async () => {
    const before = await pids();
    const again = await runScript('stack.sh', ['up'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr.match(/already running/g)?.length, 6);
    assert.deepEqual(await pids(), before);
  });

  it('down leaves no process behind and status says so', async () => {
    const running = Object.values(await pids());
    const down = await runScript('stack.sh', ['down'], env);
    assert.equal(down.code, 0, down.stderr);
    const left = await runningProcesses();
    for (const pid of running) assert.equal(left.some((one) => one.pid === pid), false, `pid ${pid} still running`);
    // Each component runs in its own process group; none of its members may survive.
    for (const pid of running) assert.equal(left.some((one) => one.pgid === pid), false, `process group ${pid} still has members`);
    const status = await runScript('stack.sh', ['status'], env);
    assert.notEqual(status.code, 0);
    assert.equal(status.stdout.match(/ stopped/g)?.length, 6);
  });

  it('up names a component that dies while starting, with the lines of its log that say why', async () => {
    const [host, port] = PRIVATE_PORTS.JAEGER_QUERY_HTTP_ENDPOINT.split(':');
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(port), host, resolve));
    try {
      // A bounded wait, so a start-up check that misses the exit fails on the message.
      const up = await runScript('stack.sh', ['up'], { ...env, STACK_READY_TIMEOUT_SECONDS: '60' });
      assert.notEqual(up.code, 0);
      assert.match(up.stderr, /jaeger exited during start-up/);
      assert.match(up.stderr, /address already in use/);
    } finally {
      squatter.close();
      await runScript('stack.sh', ['down'], env);
    }
  });
});
