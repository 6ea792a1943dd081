import { connect } from 'node:net';
import { stackEndpoints, type StackEndpoints } from './stack-endpoints.js';

/** A part of the stack that a test or tool needs. */
export type StackPart = 'kafka' | 'collector' | 'tempo' | 'jaeger';

const VARIABLE: Record<StackPart, string> = {
  kafka: 'KAFKA_BROKERS',
  collector: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  tempo: 'TEMPO_URL',
  jaeger: 'JAEGER_URL',
};

/**
 * Fails fast, with what to do, when a needed part of the stack does not accept
 * connections, instead of letting a test time out on retries.
 */
export async function assertStackReachable(parts: readonly StackPart[], endpoints: StackEndpoints = stackEndpoints()): Promise<void> {
  const addresses: Record<StackPart, string> = {
    kafka: endpoints.kafkaBrokers[0] ?? '',
    collector: new URL(endpoints.otlpEndpoint).host,
    tempo: new URL(endpoints.tempoUrl).host,
    jaeger: new URL(endpoints.jaegerUrl).host,
  };
  const unreachable: string[] = [];
  for (const part of parts) {
    if (!(await accepts(addresses[part]))) unreachable.push(`${part} at ${addresses[part]} (${VARIABLE[part]})`);
  }
  if (unreachable.length > 0) {
    throw new Error(
      `not reachable: ${unreachable.join(', ')}. Start the native stack with \`npm run stack:up\`, or point the variables at a running one.`,
    );
  }
}

function accepts(address: string, timeoutMs = 2_000): Promise<boolean> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(separator + 1)) || 80;
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
