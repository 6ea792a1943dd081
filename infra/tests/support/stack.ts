import { runScript } from './scripts.js';

/** A component of the native stack, as `stack.sh` names it. */
export type StackComponent = 'kafka' | 'tempo' | 'jaeger' | 'otelcol-sampler-1' | 'otelcol-sampler-2' | 'otelcol-gateway';

/** Stops one component of the shared stack (SIGTERM, as an operator would) and waits until it is gone. */
export async function stopStackComponent(component: StackComponent): Promise<void> {
  const stopped = await runScript('stack.sh', ['stop', component]);
  if (stopped.code !== 0) throw new Error(`stack.sh stop ${component} failed (exit ${stopped.code}):\n${stopped.stderr}`);
}

/** Starts whatever part of the stack is not running and waits until each component is ready. */
export async function startStack(): Promise<void> {
  const started = await runScript('stack.sh', ['up']);
  if (started.code !== 0) throw new Error(`stack.sh up failed (exit ${started.code}):\n${started.stderr}`);
}
