import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { APP_ROLE, withTenant } from "@/db/with-tenant";
import { seedDemo } from "@/db/seed/seed-demo";
import { DEMO_TENANTS } from "@/db/seed/demo-data";
import { findDirectoryUser } from "@/db/queries/partner-directory";
import { at, firstRow } from "../support/present";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const contoso = at(DEMO_TENANTS, 0, "the Contoso demo tenant");
const fabrikam = at(DEMO_TENANTS, 1, "the Fabrikam demo tenant");
const tailspin = at(DEMO_TENANTS, 2, "the Tailspin demo tenant");
const TABLES = [
  "partner_tenants",
  "partner_users",
  "customers",
  "subscriptions",
  "activity_records",
  "activity_record_details",
];

describe("row-level security", () => {
  let db: TestDatabase;
  let app: postgres.Sql;

  /** Runs `fn` as the request role with the given tenant settings, the way withTenant does. */
  const asApp = <T>(settings: { tenant?: string; cloud?: string }, fn: (tx: postgres.TransactionSql) => Promise<T>) =>
    app.begin(async (tx) => {
      if (settings.tenant !== undefined) await tx`select set_config('app.tenant_id', ${settings.tenant}, true)`;
      if (settings.cloud !== undefined) await tx`select set_config('app.cloud', ${settings.cloud}, true)`;
      await tx.unsafe(`set local role ${APP_ROLE}`);
      return fn(tx);
    }) as Promise<T>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { recordsPerTenant: 500, anchor: new Date("2026-11-01T00:00:00Z") });
    app = postgres(db.url, { max: 2, onnotice: () => {} });
  });

  afterAll(async () => {
    await app?.end();
    await db?.drop();
  });

  it("shows no rows of any table when no tenant is set", async () => {
    for (const table of TABLES) {
      const { n } = await firstRow(
        asApp({}, (tx) => tx.unsafe(`select count(*)::int as n from ${table}`)),
        `the row count of ${table}`,
      );
      expect(n, table).toBe(0);
    }
    // The data is there: the superuser sees it.
    const { n } = await firstRow(db.admin`select count(*)::int as n from activity_records`, "the record count");
    expect(n).toBe(1500);
  });

  it("shows a tenant only its own rows, even with no filter in the query", async () => {
    for (const table of TABLES) {
      const rows = await asApp({ tenant: contoso.id, cloud: "commercial" }, (tx) =>
        tx.unsafe(`select ${table === "partner_tenants" ? "id" : "tenant_id"} as t from ${table}`),
      );
      expect(rows.length, table).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.t)), table).toEqual(new Set([contoso.id]));
    }
  });

  it("hides a tenant when the cloud does not match", async () => {
    for (const table of TABLES) {
      const { n } = await firstRow(
        asApp({ tenant: tailspin.id, cloud: "commercial" }, (tx) =>
          tx.unsafe(`select count(*)::int as n from ${table}`),
        ),
        `the row count of ${table}`,
      );
      expect(n, table).toBe(0);
    }
  });

  it("keeps another tenant's rows out of reach of updates and deletes", async () => {
    const { id: fabrikamCustomer, company_name: before } = await firstRow(
      db.admin`select id, company_name from customers where tenant_id = ${fabrikam.id} limit 1`,
      "a Fabrikam customer",
    );
    // The request role has no UPDATE or DELETE grant at all on these tables...
    await expect(
      asApp(
        { tenant: contoso.id, cloud: "commercial" },
        (tx) => tx`update customers set company_name = 'pwned' where id = ${fabrikamCustomer}`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asApp(
        { tenant: contoso.id, cloud: "commercial" },
        (tx) => tx`delete from activity_records where tenant_id = ${fabrikam.id}`,
      ),
    ).rejects.toThrow(/permission denied/);
    // ...and an insert naming another tenant fails the policy check.
    await expect(
      asApp(
        { tenant: contoso.id, cloud: "commercial" },
        (tx) =>
          tx`insert into customers (id, tenant_id, company_name, domain) values (gen_random_uuid(), ${fabrikam.id}, 'x', 'x.example')`,
      ),
    ).rejects.toThrow(/row-level security/);
    const { company_name: after } = await firstRow(
      db.admin`select company_name from customers where id = ${fabrikamCustomer}`,
      "the Fabrikam customer afterwards",
    );
    expect(after).toBe(before);
  });

  it("ignores the maintenance switch for the request role", async () => {
    const { n } = await firstRow(
      asApp({}, async (tx) => {
        await tx`select set_config('app.maintenance', 'on', true)`;
        return tx`select count(*)::int as n from activity_records`;
      }),
      "the record count",
    );
    expect(n).toBe(0);
  });

  it("runs requests as a role that is not a superuser and cannot disable RLS", async () => {
    const [role] = await db.admin`select rolsuper, rolbypassrls from pg_roles where rolname = ${APP_ROLE}`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    await expect(
      asApp(
        { tenant: contoso.id, cloud: "commercial" },
        (tx) => tx`alter table activity_records disable row level security`,
      ),
    ).rejects.toThrow(/must be owner/);
    await expect(
      asApp({ tenant: contoso.id, cloud: "commercial" }, (tx) => tx`alter table customers no force row level security`),
    ).rejects.toThrow(/must be owner/);
    // row_security=off makes a query that would be filtered fail instead of returning all rows.
    await expect(
      asApp({ tenant: contoso.id, cloud: "commercial" }, async (tx) => {
        await tx`set local row_security = off`;
        return tx`select count(*) from customers`;
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it("withTenant applies the same scope through Drizzle", async () => {
    const orm = drizzle(app, { schema });
    const tenants = await withTenant(
      { tenantId: fabrikam.id, cloud: "commercial" },
      (tx) => tx.select().from(schema.partnerTenants),
      orm,
    );
    expect(tenants.map((t) => t.name)).toEqual(["Fabrikam Cloud Solutions"]);
    const role = await withTenant(
      { tenantId: fabrikam.id, cloud: "commercial" },
      (tx) => tx.execute("select current_user as u"),
      orm,
    );
    expect(role[0]).toEqual({ u: APP_ROLE });
  });

  it("resolves directory users only within the claimed tenant and the provider's cloud", async () => {
    const orm = drizzle(app, { schema });
    const found = await findDirectoryUser(
      { tenantId: tailspin.id, cloud: "usgov", userPrincipalName: "admin@tailspin.example" },
      orm,
    );
    expect(found).toMatchObject({
      ok: true,
      user: { role: "global_admin", tenantName: "Tailspin Government Solutions" },
    });
    expect(
      await findDirectoryUser(
        { tenantId: tailspin.id, cloud: "commercial", userPrincipalName: "admin@tailspin.example" },
        orm,
      ),
    ).toEqual({
      ok: false,
      reason: "unknown_tenant",
    });
    expect(
      await findDirectoryUser(
        { tenantId: contoso.id, cloud: "commercial", userPrincipalName: "admin@fabrikam.example" },
        orm,
      ),
    ).toEqual({
      ok: false,
      reason: "unknown_user",
    });
    expect(
      await findDirectoryUser({ tenantId: "not-a-uuid", cloud: "commercial", userPrincipalName: "x" }, orm),
    ).toEqual({
      ok: false,
      reason: "unknown_tenant",
    });
  });
});
