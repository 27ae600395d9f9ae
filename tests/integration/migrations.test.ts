import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runMigrations } from "@/db/migrate";
import { firstRow } from "../support/present";

describe("migrations", () => {
  const name = `empty_${Date.now()}`;
  let cluster: postgres.Sql;
  let sql: postgres.Sql;
  let url: string;

  beforeAll(async () => {
    const adminUrl = inject("clusterAdminUrl");
    cluster = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await cluster.unsafe(`create database ${name}`);
    url = adminUrl.replace(/\/postgres$/, `/${name}`);
    sql = postgres(url, { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await sql.end();
    await cluster.unsafe(`drop database if exists ${name} with (force)`);
    await cluster.end();
  });

  it("apply to an empty database, and again as a no-op", async () => {
    await runMigrations(url);
    await runMigrations(url);
    const tables = await sql<{ relname: string; relkind: string; relforcerowsecurity: boolean }[]>`
      select relname, relkind, relforcerowsecurity from pg_class
      where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and relispartition = false
      order by relname`;
    expect(tables.map((t) => t.relname)).toEqual([
      "activity_customer_name_months",
      "activity_day_counts",
      "activity_ingest_events",
      "activity_record_details",
      "activity_records",
      "activity_seals",
      "activity_user_day_counts",
      "api_keys",
      "customers",
      "partner_center_connections",
      "partner_center_sync_days",
      "partner_tenants",
      "partner_users",
      "saved_view_defaults",
      "saved_views",
      "stream_destinations",
      "stream_outbox",
      "subscriptions",
      "user_sessions",
    ]);
    // Every tenant table is forced under row-level security; the log tables are partitioned.
    expect(tables.every((t) => t.relforcerowsecurity)).toBe(true);
    expect(tables.filter((t) => t.relkind === "p").map((t) => t.relname)).toEqual([
      "activity_record_details",
      "activity_records",
    ]);
  });

  it("key the log by tenant and time, with the page index", async () => {
    const pk = await firstRow(
      sql<{ def: string }[]>`
      select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'activity_records_pkey'`,
      "the log's primary key",
    );
    expect(pk.def).toBe("PRIMARY KEY (tenant_id, occurred_at, id)");
    const idx = await firstRow(
      sql<{ def: string }[]>`select indexdef as def from pg_indexes where indexname = 'activity_records_page_idx'`,
      "the page index",
    );
    expect(idx.def).toContain("(tenant_id, occurred_at DESC, id DESC) INCLUDE (cloud, operation_type)");
  });

  it("create monthly partitions ahead of time", async () => {
    const partitions = await sql<{ name: string }[]>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'activity_records'::regclass order by 1`;
    const now = new Date();
    const thisMonth = `activity_records_y${now.getUTCFullYear()}m${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
    expect(partitions.map((p) => p.name)).toContain(thisMonth);
    expect(partitions.length).toBeGreaterThanOrEqual(4);
  });
});

describe("keys ready for distribution by tenant", () => {
  let cluster: postgres.Sql;
  let sql: postgres.Sql;
  const name = `keys_${Date.now()}`;

  beforeAll(async () => {
    const adminUrl = inject("clusterAdminUrl");
    cluster = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await cluster.unsafe(`create database ${name}`);
    const url = adminUrl.replace(/\/postgres$/, `/${name}`);
    await runMigrations(url);
    sql = postgres(url, { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await sql.end();
    await cluster.unsafe(`drop database if exists ${name} with (force)`);
    await cluster.end();
  });

  it("put tenant_id in every unique key of every tenant table", async () => {
    // partner_tenants (keyed by the tenant id itself) and api_keys (looked up by key hash before
    // any tenant is known) are the reference tables of docs/scaling.md.
    const keys = await sql<{ table: string; index: string; columns: string[] }[]>`
      select c.relname as table, i.relname as index,
             array(select a.attname::text from unnest(x.indkey) k join pg_attribute a on a.attrelid = c.oid and a.attnum = k) as columns
      from pg_index x join pg_class c on c.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
      where x.indisunique and c.relnamespace = 'public'::regnamespace and not c.relispartition
        and c.relname not in ('partner_tenants', 'api_keys')`;
    expect(keys.length).toBeGreaterThanOrEqual(8);
    for (const key of keys) expect(key.columns, `${key.table}.${key.index}`).toContain("tenant_id");
    const logKeys = keys.filter((k) => k.table.startsWith("activity_record"));
    for (const key of logKeys) expect(key.columns, `${key.table}.${key.index}`).toContain("occurred_at");
  });
});
