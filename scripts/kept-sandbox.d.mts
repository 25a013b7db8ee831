// Types for kept-sandbox.mjs (what run-tests.mjs prints about a kept sandbox), for the type-checked tests.
/** The lines naming a kept sandbox's dirs, their size and the commands that remove it. */
export function describeKeptSandbox(dirs: string[], mounted?: string[]): string;
