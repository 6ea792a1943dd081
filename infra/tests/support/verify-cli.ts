import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const VERIFY_MAIN = fileURLToPath(new URL('../../../apps/verify/src/main.ts', import.meta.url));

/** Runs `npm run verify -- <args>` the way the npm script does (plain output, no colours). */
export function runVerify(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...process.execArgv.filter((arg) => !arg.startsWith('--test')), VERIFY_MAIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
