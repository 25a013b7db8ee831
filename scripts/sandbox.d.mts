// Types for sandbox.mjs (the leak audit's ownership test), for the type-checked tests.
/** True when process `pid` names the sandbox dir `base` in its argv, environment, cwd or open files. */
export function belongsToSandbox(pid: number | string, base: string): boolean;
