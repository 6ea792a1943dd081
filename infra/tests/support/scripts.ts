import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Absolute path of the `infra/` folder. */
export const INFRA_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Result of running one of the infra scripts. */
export interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `infra/scripts/<name>` with bash; never throws on a non-zero exit. */
export async function runScript(name: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await run('bash', [`${INFRA_DIR}scripts/${name}`, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === 'number' ? failure.code : 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** Runs any program (with `env` on top of the environment); never throws on a non-zero exit. */
export async function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await run(file, args, { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === 'number' ? failure.code : 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
