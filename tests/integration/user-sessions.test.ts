import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import {
  createUserSession,
  deleteUserSession,
  endAllOwnSessions,
  endUserSession,
  touchUserSession,
} from "@/db/mutations/user-sessions";
import { findSessionUser, getActiveSessions } from "@/db/queries/user-sessions";
import * as schema from "@/db/schema";
import { DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { holdSessionWhileStreaming } from "@/lib/auth/server-session";
import { sessionPolicy, sessionState } from "@/lib/auth/session-policy";
import { AppError } from "@/lib/errors";
import { at, required } from "../support/present";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { TenantContext } from "@/lib/domain";

const contoso = at(DEMO_TENANTS, 0, "the Contoso demo tenant");
const fabrikam = at(DEMO_TENANTS, 1, "the Fabrikam demo tenant");
const policy = sessionPolicy({});
const t0 = new Date(Date.UTC(2026, 11, 2, 9, 0));
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe("server-side sessions", () => {
  let db: TestDatabase;
  let client: postgres.Sql;
  let orm: Database;
  const users: Record<string, string> = {};
  const userId = (upn: string) => required(users[upn], `the seeded partner user ${upn}`);
  const ctxFor = (tenantId: string, upn: string, role: TenantContext["role"] = "global_admin"): TenantContext => ({
    tenantId,
    cloud: "commercial",
    userId: userId(upn),
    userPrincipalName: upn,
    role,
  });
  const open = (tenantId: string, upn: string, now = t0) =>
    createUserSession(
      { scope: { tenantId, cloud: "commercial" }, userId: userId(upn), userAgent: "Test", now, ...policy },
      orm,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { recordsPerTenant: 5, customersPerTenant: 1, tenants: [contoso, fabrikam] });
    for (const row of await db.admin<{ id: string; upn: string }[]>`
      select id, user_principal_name as upn from partner_users`)
      users[row.upn] = row.id;
    client = postgres(db.url, { max: 2, onnotice: () => {} });
    orm = drizzle(client, { schema });
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("find a session with its user only in its own tenant and cloud", async () => {
    const id = await open(contoso.id, "agent@contoso.example");
    const found = await findSessionUser({ tenantId: contoso.id, cloud: "commercial", sessionId: id }, orm);
    expect(found?.user).toMatchObject({ userPrincipalName: "agent@contoso.example", role: "admin_agent" });
    expect(await findSessionUser({ tenantId: fabrikam.id, cloud: "commercial", sessionId: id }, orm)).toBeUndefined();
    expect(await findSessionUser({ tenantId: contoso.id, cloud: "usgov", sessionId: id }, orm)).toBeUndefined();
    expect(
      await findSessionUser({ tenantId: contoso.id, cloud: "commercial", sessionId: "nope" }, orm),
    ).toBeUndefined();
  });

  it("go idle without activity, stay alive with it, and expire at the absolute lifetime", async () => {
    const id = await open(contoso.id, "billing@contoso.example");
    const scope = { tenantId: contoso.id, cloud: "commercial" as const };
    const state = async (now: Date) =>
      sessionState(
        required(await findSessionUser({ ...scope, sessionId: id }, orm), "the open session").session,
        now,
        policy,
      );
    expect(await state(later(14))).toBe("active");
    expect(await state(later(15))).toBe("idle");
    // Activity every ten minutes (an export streaming, a user clicking) keeps it alive...
    for (let m = 10; m <= 470; m += 10) await touchUserSession({ scope, sessionId: id, now: later(m) }, orm);
    expect(await state(later(475))).toBe("active");
    // ...but not past its lifetime; and a touch never moves last-seen back.
    expect(await state(later(480))).toBe("expired");
    await touchUserSession({ scope, sessionId: id, now: later(1) }, orm);
    const touched = required(await findSessionUser({ ...scope, sessionId: id }, orm), "the touched session");
    expect(touched.session.lastSeenAt).toEqual(later(470));
  });

  it("list only live sessions of the tenant, and only the user's own when asked", async () => {
    const now = later(1);
    await open(fabrikam.id, "admin@fabrikam.example", now);
    const mine = await open(contoso.id, "admin@contoso.example", now);
    const ctx = ctxFor(contoso.id, "admin@contoso.example");
    const all = await getActiveSessions({ ctx, now, ...policy, ownOnly: false }, orm);
    expect(all.map((s) => s.userPrincipalName)).not.toContain("admin@fabrikam.example");
    expect(all.map((s) => s.id)).toContain(mine);
    const own = await getActiveSessions({ ctx, now, ...policy, ownOnly: true }, orm);
    expect(own.map((s) => s.id)).toEqual([mine]);
    // Sessions past a timeout are not listed.
    expect(await getActiveSessions({ ctx, now: later(60 * 9), ...policy, ownOnly: false }, orm)).toEqual([]);
  });

  it("let an admin end a session of the tenant, with a record, and answer 404 for another tenant's", async () => {
    const victim = await open(contoso.id, "agent@contoso.example");
    const foreign = await open(fabrikam.id, "admin@fabrikam.example");
    const admin = ctxFor(contoso.id, "admin@contoso.example");

    const refused = await endUserSession({ ctx: admin, sessionId: foreign }, orm).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(404);
    expect(
      await findSessionUser({ tenantId: fabrikam.id, cloud: "commercial", sessionId: foreign }, orm),
    ).toBeDefined();

    await endUserSession({ ctx: admin, sessionId: victim }, orm);
    expect(
      await findSessionUser({ tenantId: contoso.id, cloud: "commercial", sessionId: victim }, orm),
    ).toBeUndefined();
    const [record] = await db.admin<{ upn: string; data: { sessionUser: string; sessionId: string } }[]>`
      select r.user_principal_name as upn, d.customized_data as data from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.operation_type = 'end_user_session'`;
    expect(record).toMatchObject({
      upn: "admin@contoso.example",
      data: { sessionUser: "agent@contoso.example", sessionId: victim },
    });
    // Ended already: not found, and no second record.
    await expect(endUserSession({ ctx: admin, sessionId: victim }, orm)).rejects.toMatchObject({ code: "not_found" });
  });

  it("sign out everywhere ends every session of the user and no one else's", async () => {
    const a = await open(contoso.id, "helpdesk@contoso.example");
    const b = await open(contoso.id, "helpdesk@contoso.example");
    const other = await open(contoso.id, "sales@contoso.example");
    const ended = await endAllOwnSessions(
      { ctx: ctxFor(contoso.id, "helpdesk@contoso.example", "helpdesk_agent") },
      orm,
    );
    expect(ended).toBe(2);
    const scope = { tenantId: contoso.id, cloud: "commercial" as const };
    expect(await findSessionUser({ ...scope, sessionId: a }, orm)).toBeUndefined();
    expect(await findSessionUser({ ...scope, sessionId: b }, orm)).toBeUndefined();
    expect(await findSessionUser({ ...scope, sessionId: other }, orm)).toBeDefined();
    expect(await deleteUserSession({ scope, sessionId: other }, orm)).toBe(true);
    expect(await deleteUserSession({ scope, sessionId: other }, orm)).toBe(false);
  });

  it("a download keeps its session from going idle, and stops when an admin ends the session", async () => {
    const scope = { tenantId: contoso.id, cloud: "commercial" as const };
    const opened = new Date(Date.now() - 10 * 60_000);
    const id = await open(contoso.id, "agent@contoso.example", opened);
    const held = holdSessionWhileStreaming({
      scope,
      sessionId: id,
      userId: userId("agent@contoso.example"),
      everyMs: 50,
      db: orm,
    });
    try {
      await expect
        .poll(async () =>
          required(
            await findSessionUser({ ...scope, sessionId: id }, orm),
            "the held session",
          ).session.lastSeenAt.getTime(),
        )
        .toBeGreaterThan(Date.now() - 60_000);
      expect(held.signal.aborted, "a live session does not stop the download").toBe(false);

      await endUserSession({ ctx: ctxFor(contoso.id, "admin@contoso.example"), sessionId: id }, orm);
      await expect.poll(() => held.signal.aborted).toBe(true);
      expect(String(held.signal.reason)).toMatch(/session was ended/);
    } finally {
      held.stop();
    }
  });

  it("a download's session hold follows the client going away", async () => {
    const client = new AbortController();
    const held = holdSessionWhileStreaming({
      scope: { tenantId: contoso.id, cloud: "commercial" },
      sessionId: "00000000-0000-4000-8000-000000000000",
      userId: userId("agent@contoso.example"),
      request: client.signal,
      everyMs: 60_000,
      db: orm,
    });
    expect(held.signal.aborted).toBe(false);
    client.abort(new Error("client gone"));
    expect(held.signal.aborted).toBe(true);
    expect(String(held.signal.reason)).toMatch(/client gone/);
  });

  it("go with their user when the user leaves the directory", async () => {
    const id = await open(contoso.id, "billing@contoso.example");
    await db.admin`delete from partner_users where id = ${userId("billing@contoso.example")}`;
    expect(await findSessionUser({ tenantId: contoso.id, cloud: "commercial", sessionId: id }, orm)).toBeUndefined();
    expect((await db.admin`select 1 from user_sessions where id = ${id}`).length).toBe(0);
  });
});
