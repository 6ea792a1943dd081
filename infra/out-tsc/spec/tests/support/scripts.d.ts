/** Absolute path of the `infra/` folder. */
export declare const INFRA_DIR: string;
/** Result of running one of the infra scripts. */
export interface ScriptResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}
/** Runs `infra/scripts/<name>` with bash; never throws on a non-zero exit. */
export declare function runScript(name: string, args?: string[], env?: NodeJS.ProcessEnv): Promise<ScriptResult>;
/** Runs any program; never throws on a non-zero exit. */
export declare function runProgram(file: string, args: string[]): Promise<ScriptResult>;
//# sourceMappingURL=scripts.d.ts.map