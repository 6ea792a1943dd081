import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { INFRA_DIR, runScript } from './scripts.js';

/** A collector a test started from one of infra/otelcol's config files, on ports of its own. */
export interface PrivateCollector {
  /** Its OTLP receiver: `host:port` (gRPC) for a sampler, `http://host:port` (HTTP) for a gateway. */
  readonly otlp: string;
  /** Its own metrics, in Prometheus' text format. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/** The collector binary the native stack runs (built once by provision-otelcol.sh). */
export async function collectorBinary(): Promise<string> {
  const built = await runScript('provision-otelcol.sh');
  if (built.code !== 0) throw new Error(`provision-otelcol.sh failed:\n${built.stderr}`);
  return built.stdout.trim();
}

/** Starts a tail-sampling instance from sampler.yaml with `env` on top (exporting to the shared Tempo and Jaeger). */
export async function startSampler(env: Readonly<Record<string, string>> = {}): Promise<PrivateCollector> {
  const [otlp, health, metrics] = [await freePort(), await freePort(), await freePort()];
  return start('sampler.yaml', { OTELCOL_SAMPLER_OTLP_GRPC_ENDPOINT: `127.0.0.1:${otlp}`, OTELCOL_SAMPLER_HEALTH_ENDPOINT: `127.0.0.1:${health}`, OTELCOL_SAMPLER_METRICS_PORT: String(metrics), ...env }, `127.0.0.1:${otlp}`, health, metrics);
}

/** Starts a gateway from gateway.yaml that routes by trace id to the samplers given. */
export async function startGateway(samplers: readonly PrivateCollector[]): Promise<PrivateCollector> {
  const [grpc, http, health, metrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
  return start(
    'gateway.yaml',
    {
      OTELCOL_GATEWAY_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
      OTELCOL_GATEWAY_OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
      OTELCOL_GATEWAY_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
      OTELCOL_GATEWAY_METRICS_PORT: String(metrics),
      OTELCOL_SAMPLER_RESOLVER: `{static: {hostnames: [${samplers.map((sampler) => sampler.otlp).join(', ')}]}}`,
    },
    `http://127.0.0.1:${http}`,
    health,
    metrics,
  );
}

async function start(config: string, env: Readonly<Record<string, string>>, otlp: string, healthPort: number, metricsPort: number): Promise<PrivateCollector> {
  const child = spawn(await collectorBinary(), ['--config', join(INFRA_DIR, 'otelcol', config)], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const healthy = await fetch(`http://127.0.0.1:${healthPort}/`).then((response) => response.ok, () => false);
    if (healthy) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the collector (${config}) did not become healthy:\n${log.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { otlp, stop, metrics: async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text() };
}

/** The sum of a counter over all its label sets in Prometheus' text format (0 when absent). */
export function counterValue(metrics: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const line of metrics.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    if (Object.entries(labels).every(([key, value]) => (match[2] ?? '').includes(`${key}="${value}"`))) sum += Number(match[3]);
  }
  return sum;
}
