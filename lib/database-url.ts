import postgres from "postgres";
import { ConfigError } from "./errors";

/** "host:port/db" of a connection URL, without the password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "an unparsable URL";
  }
}

/** One line for a failure at start, whatever threw it. */
export function describeDatabaseError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

export async function checkReachable(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new ConfigError(
      `cannot reach the database at DATABASE_URL (${describeUrl(url)}): ${describeDatabaseError(error)}`,
    );
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}
