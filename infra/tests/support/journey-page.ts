import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { INFRA_DIR } from './scripts.js';

const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url));

/** The journey page as `npm run journeys` runs it, on a free port. */
export interface JourneyPageProcess {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Ctrl-C, as a user stops it; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `apps/demo/src/journeys.ts` (what `npm run journeys` runs once the system is
 * up) with `env` on top, on any free port (`JOURNEY_PAGE_PORT=0`), and resolves with the
 * address it prints.
 */
export function startJourneyPage(env: Readonly<Record<string, string>> = {}): Promise<JourneyPageProcess> {
  const child = spawn('bash', [`${INFRA_DIR}scripts/node-run.sh`, 'apps/demo/src/journeys.ts'], {
    cwd: REPO_DIR,
    env: { ...process.env, JOURNEY_PAGE_PORT: '0', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the journey page did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /The journey page: (http:\/\/\S+)\/journeys/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        stop: async () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the journey page exited (${code}) before it listened:\n${output}`));
    });
  });
}
