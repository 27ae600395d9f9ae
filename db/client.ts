import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import { ConfigError } from "@/lib/errors";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;

interface Pools {
  url: string;
  pages: Sql;
  exports: Sql;
  db: Database;
}

// Survives Next's dev-mode module reloads, so reloading never leaks pools.
const globalForDb = globalThis as unknown as { __activityLogPools?: Pools };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new ConfigError("DATABASE_URL is not set (npm start sets it for the embedded database)");
  return url;
}

function createPools(url: string): Pools {
  const common = { onnotice: () => {}, connect_timeout: 5, connection: { application_name: "partner-activity-log" } };
  const pages = postgres(url, { ...common, max: Number(process.env.DB_POOL_MAX ?? 10) });
  // Exports hold a connection for the whole download; their own small pool means a burst of
  // exports (or a stuck one) can never starve page views.
  const exports = postgres(url, { ...common, max: Number(process.env.DB_EXPORT_POOL_MAX ?? 3) });
  return { url, pages, exports, db: drizzle(pages, { schema }) };
}

function pools(): Pools {
  const url = databaseUrl();
  const existing = globalForDb.__activityLogPools;
  if (existing && existing.url === url) return existing;
  const created = createPools(url);
  globalForDb.__activityLogPools = created;
  return created;
}

export const getDb = (): Database => pools().db;
export const getSql = (): Sql => pools().pages;
export const getExportSql = (): Sql => pools().exports;

export async function closeDb(): Promise<void> {
  const existing = globalForDb.__activityLogPools;
  globalForDb.__activityLogPools = undefined;
  if (existing) await Promise.all([existing.pages.end({ timeout: 5 }), existing.exports.end({ timeout: 5 })]);
}
