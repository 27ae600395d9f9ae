import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "db/migrations");

/** How far ahead monthly partitions exist, so an insert never finds its month missing. */
const MONTHS_AHEAD = 3;

/** Applies the committed SQL migrations, then makes sure the coming months have partitions. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    await ensureUpcomingPartitions(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function ensureUpcomingPartitions(sql: postgres.Sql, now = new Date()): Promise<number> {
  const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + MONTHS_AHEAD, 1));
  const [{ created }] = await sql<[{ created: number }]>`
    select ensure_activity_partitions(${now.toISOString()}::timestamptz, ${until.toISOString()}::timestamptz) as created`;
  return created;
}
