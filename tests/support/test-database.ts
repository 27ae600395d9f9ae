import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";

export const TEMPLATE_DATABASE = "activity_log_template";

export interface TestDatabase {
  url: string;
  /** Superuser connection to this database: sets up fixtures, bypasses RLS. */
  admin: postgres.Sql;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("clusterAdminUrl");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const cluster = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await cluster.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`);
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const admin = postgres(url, { max: 2, onnotice: () => {} });
  return {
    url,
    admin,
    async drop() {
      await admin.end({ timeout: 5 });
      await cluster.unsafe(`drop database if exists ${name} with (force)`);
      await cluster.end({ timeout: 5 });
    },
  };
}
