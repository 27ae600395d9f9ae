import { getSql } from "./client";

const TIMEOUT_MS = 3000;

export async function checkDatabase(): Promise<{ up: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("database health check timed out")), TIMEOUT_MS);
    });
    // In a transaction: the pool retries a transaction whose connection still held the server's
    // shutdown notice from before a restart (db/client.ts), so a recovered database reads as up.
    await Promise.race([getSql().begin((tx) => tx`select 1`), timeout]);
    return { up: true };
  } catch {
    return { up: false };
  } finally {
    clearTimeout(timer);
  }
}
