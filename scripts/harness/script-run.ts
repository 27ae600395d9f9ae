/*
 * What a long-running measuring script (npm run bench, npm run test:load) needs around its work:
 * timestamped progress lines, a stack of things to undo (clusters, servers, temp folders) that is
 * undone in reverse order on success, failure and Ctrl-C alike, and the process's exit code.
 */
export interface ScriptRun {
  name: string;
  log: (line: string) => void;
  /** Registers an undo step; steps run last-in first-out. */
  onCleanup: (undo: () => Promise<void>) => void;
  cleanup: () => Promise<void>;
}

export function scriptRun(name: string): ScriptRun {
  const t0 = performance.now();
  const undos: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      while (undos.length > 0) {
        const undo = undos.pop()!;
        await undo().catch((error: unknown) =>
          console.error(`${name}: cleanup: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    })());
  return {
    name,
    log: (line) => console.log(`[${name} ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}`),
    onCleanup: (undo) => void undos.push(undo),
    cleanup,
  };
}

/**
 * Runs `main` and exits with its code; on Ctrl-C or SIGTERM cleans up and exits 130; when `main`
 * throws, prints the message (the stack with DEBUG set), cleans up and exits `failureCode`.
 */
export function runScript(run: ScriptRun, main: () => Promise<number | void>, failureCode: number): void {
  const { name } = run;
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`${name}: ${signal}, stopping`);
      void run.cleanup().finally(() => process.exit(130));
    });
  }
  main().then(
    (code) => process.exit(code ?? 0),
    async (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
      await run.cleanup();
      process.exit(failureCode);
    },
  );
}
