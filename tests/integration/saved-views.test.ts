import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getSql } from "@/db/client";
import { withTenantSql } from "@/db/scope";
import {
  clearDefaultSavedViewRoute,
  createSavedViewRoute,
  deleteSavedViewRoute,
  getSavedViewRoute,
  listSavedViewsRoute,
  setDefaultSavedViewRoute,
  updateSavedViewRoute,
} from "@/lib/handlers/saved-views";
import { route, type TenantRouteCall } from "@/lib/http/route";
import { AppError } from "@/lib/errors";
import { fieldIssuesOf } from "@/lib/validation";
import { openingViewFor, renameViewFor } from "@/lib/saved-views";
import { createTenant } from "../support/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { TenantContext } from "@/lib/domain";

type Handler<P> = (call: TenantRouteCall<P>) => Promise<Response>;

describe("saved views (handlers)", () => {
  let db: TestDatabase;
  let alice: TenantContext;
  let bob: TenantContext;
  let stranger: TenantContext;

  const call = <P>(handler: Handler<P>, ctx: TenantContext, params: P, body?: unknown, method = "POST") =>
    route<P>((request, p) => handler({ ctx, sessionId: randomUUID(), request, params: p }))(
      new NextRequest("http://localhost/api/account/saved-views", {
        method,
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      }),
      { params: Promise.resolve(params) },
    );
  const create = async (ctx: TenantContext, body: unknown) => {
    const response = await call(createSavedViewRoute, ctx, {}, body);
    expect(response.status).toBe(201);
    return (await response.json()).view as { id: string; query: string; isDefault: boolean; href: string };
  };
  const list = async (ctx: TenantContext) =>
    (await (await call(listSavedViewsRoute, ctx, {}, undefined, "GET")).json()).views as Array<{
      name: string;
      own: boolean;
      isDefault: boolean;
    }>;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    const a = await createTenant(db.admin, "commercial");
    const b = await createTenant(db.admin, "commercial");
    alice = { ...a, userId: randomUUID(), userPrincipalName: "Alice@Contoso.example", role: "global_admin" };
    bob = { ...a, userId: randomUUID(), userPrincipalName: "bob@contoso.example", role: "admin_agent" };
    stranger = { ...b, userId: randomUUID(), userPrincipalName: "admin@fabrikam.example", role: "global_admin" };
  });
  afterAll(async () => {
    await closeDb();
    await db.drop();
  });

  it("stores the filters as the log writes them: parsed, canonical, without a page position", async () => {
    const view = await create(alice, {
      name: "  Failed orders  ",
      filters: "?status=failed&action=create_order&status=failed&cursor=&size=50&record=12&tz=Europe/Berlin",
    });
    expect(view).toMatchObject({
      name: "Failed orders",
      query: "tz=Europe%2FBerlin&action=create_order&status=failed&size=50",
      own: true,
      shared: false,
      isDefault: false,
      href: "/account/activity-log?tz=Europe%2FBerlin&action=create_order&status=failed&size=50",
    });
    // The same name again is a conflict, not a second view.
    const again = await call(createSavedViewRoute, alice, {}, { name: "Failed orders", filters: "" });
    expect(again.status).toBe(409);
  });

  it("refuses bad input with a 400 naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ filters: "status=failed" }, "name"],
      [{ name: "x".repeat(81) }, "name"],
      [{ name: "ok", filters: "status=lost" }, "filters.status"],
      [{ name: "ok", filters: "from=2026-02-30" }, "filters.from"],
      [{ name: "ok", filters: 7 }, "filters"],
      [{ name: "ok", shared: "yes" }, "shared"],
      [{ name: "ok", default: 1 }, "default"],
      [[], "body"],
      ["not json", "body"],
    ];
    for (const [body, field] of cases) {
      const response = await call(createSavedViewRoute, alice, {}, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = await response.json();
      expect(error.details.errors[0].field, JSON.stringify(body)).toBe(field);
      expect(error.message).toMatch(/\w/);
    }
    const updated = await call(updateSavedViewRoute, alice, { id: randomUUID() }, { name: "" }, "PUT");
    expect(updated.status).toBe(400);
  });

  it("keeps a private view to its owner and shows a shared one to the tenant, never to another tenant", async () => {
    const mine = await create(alice, { name: "Mine", filters: "user=alice@contoso.example" });
    const ours = await create(alice, { name: "Ours", filters: "status=progress", shared: true });

    expect((await list(alice)).map((v) => v.name)).toEqual(expect.arrayContaining(["Mine", "Ours"]));
    expect((await list(bob)).map((v) => v.name)).toEqual(["Ours"]);
    expect(await list(stranger)).toEqual([]);

    // Another user's private view, and any view of another tenant, is 404 whatever the method.
    for (const [ctx, id] of [
      [bob, mine.id],
      [stranger, mine.id],
      [stranger, ours.id],
      [alice, "not-a-uuid"],
      [alice, randomUUID()],
    ] as const) {
      expect((await call(getSavedViewRoute, ctx, { id }, undefined, "GET")).status).toBe(404);
      expect((await call(updateSavedViewRoute, ctx, { id }, { name: "Taken over" }, "PUT")).status).toBe(404);
      expect((await call(deleteSavedViewRoute, ctx, { id }, undefined, "DELETE")).status).toBe(404);
      expect((await call(setDefaultSavedViewRoute, ctx, { id }, undefined, "PUT")).status).toBe(404);
      expect((await call(clearDefaultSavedViewRoute, ctx, { id }, undefined, "DELETE")).status).toBe(404);
    }
    // A shared view is the owner's to change: others may use it, not rename or delete it.
    expect((await call(getSavedViewRoute, bob, { id: ours.id }, undefined, "GET")).status).toBe(200);
    expect((await call(updateSavedViewRoute, bob, { id: ours.id }, { name: "Bob's" }, "PUT")).status).toBe(403);
    expect((await call(deleteSavedViewRoute, bob, { id: ours.id }, undefined, "DELETE")).status).toBe(403);

    // Row-level security: a query with no filter at all, as the request role, sees only its tenant.
    const unfiltered = (ctx: TenantContext) =>
      withTenantSql(getSql(), ctx, (tx) => tx<{ tenant_id: string }[]>`select tenant_id::text from saved_views`);
    expect((await unfiltered(alice)).length).toBeGreaterThanOrEqual(2);
    expect(await unfiltered(stranger)).toEqual([]);
    await expect(
      withTenantSql(
        getSql(),
        stranger,
        (tx) => tx`insert into saved_views (tenant_id, cloud, id, owner_key, owner_principal_name, name, query)
                   values (${alice.tenantId}, 'commercial', ${randomUUID()}, 'x', 'x', 'Planted', '')`,
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("opens the log with each user's own default, which a shared view can be and unsharing withdraws", async () => {
    const ours = await create(alice, { name: "Team default", filters: "status=failed", shared: true });
    const alicesOwn = await create(alice, { name: "Alice default", filters: "status=succeeded", default: true });
    expect(alicesOwn.isDefault).toBe(true);
    expect((await openingViewFor(alice))?.id).toBe(alicesOwn.id);
    expect(await openingViewFor(bob)).toBeNull();

    const set = await call(setDefaultSavedViewRoute, bob, { id: ours.id }, undefined, "PUT");
    expect(set.status).toBe(200);
    expect((await set.json()).view.isDefault).toBe(true);
    expect((await openingViewFor(bob))?.query).toBe("status=failed");
    // One default per user: Alice's stays hers.
    expect((await openingViewFor(alice))?.id).toBe(alicesOwn.id);
    expect((await list(alice)).filter((v) => v.isDefault).map((v) => v.name)).toEqual(["Alice default"]);

    // Alice stops sharing: Bob's default no longer applies (nor is it listed to him).
    const unshared = await call(
      updateSavedViewRoute,
      alice,
      { id: ours.id },
      { name: "Team default", filters: "status=failed", shared: false },
      "PUT",
    );
    expect(unshared.status).toBe(200);
    expect(await openingViewFor(bob)).toBeNull();

    // Alice's default cleared by a PUT with default: false, and by DELETE …/default.
    await call(updateSavedViewRoute, alice, { id: alicesOwn.id }, { name: "Alice default", default: false }, "PUT");
    expect(await openingViewFor(alice)).toBeNull();
    await call(setDefaultSavedViewRoute, alice, { id: alicesOwn.id }, undefined, "PUT");
    expect((await openingViewFor(alice))?.id).toBe(alicesOwn.id);
    await call(clearDefaultSavedViewRoute, alice, { id: alicesOwn.id }, undefined, "DELETE");
    expect(await openingViewFor(alice)).toBeNull();

    // Deleting a default view leaves no default behind.
    await call(setDefaultSavedViewRoute, alice, { id: alicesOwn.id }, undefined, "PUT");
    expect((await call(deleteSavedViewRoute, alice, { id: alicesOwn.id }, undefined, "DELETE")).status).toBe(204);
    expect(await openingViewFor(alice)).toBeNull();
  });

  it("records saving, changing and deleting a view in the tenant's log, with the filters", async () => {
    const view = await create(alice, { name: "Recorded", filters: "q=Contoso" });
    await call(updateSavedViewRoute, alice, { id: view.id }, { name: "Recorded 2", filters: "q=Fabrikam" }, "PUT");
    await call(deleteSavedViewRoute, alice, { id: view.id }, undefined, "DELETE");
    const rows = await db.admin<Array<{ operation_type: string; user_principal_name: string; details: string }>>`
      select r.operation_type, r.user_principal_name,
             concat(d.resource_old_value::text, '|', d.resource_new_value::text) as details
      from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${alice.tenantId} and r.resource_type = 'saved_view'
        and (d.resource_old_value->>'id' = ${view.id} or d.resource_new_value->>'id' = ${view.id})
      order by r.id`;
    expect(rows.map((r) => r.operation_type)).toEqual(["create_saved_view", "update_saved_view", "delete_saved_view"]);
    expect(rows.every((r) => r.user_principal_name === "Alice@Contoso.example")).toBe(true);
    expect(rows[1]!.details).toContain("q=Contoso");
    expect(rows[1]!.details).toContain("q=Fabrikam");
    // A refused change writes nothing.
    const before = await db.admin`select count(*) from activity_records where tenant_id = ${stranger.tenantId}`;
    await call(createSavedViewRoute, stranger, {}, { name: "" });
    const after = await db.admin`select count(*) from activity_records where tenant_id = ${stranger.tenantId}`;
    expect(after).toEqual(before);
  });

  it("renames a view from the page: only the name changes, recorded like a PUT; refusals change nothing", async () => {
    const view = await create(alice, { name: "Before rename", filters: "status=failed", shared: true, default: true });
    const renamed = await renameViewFor(alice, view.id, "  After rename ");
    expect(renamed).toMatchObject({
      id: view.id,
      name: "After rename",
      query: "status=failed",
      shared: true,
      isDefault: true,
    });
    const [record] = await db.admin<Array<{ old: unknown; new: unknown }>>`
      select d.resource_old_value as old, d.resource_new_value as new
      from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${alice.tenantId} and r.operation_type = 'update_saved_view'
        and d.resource_new_value->>'id' = ${view.id}`;
    expect(record).toEqual({
      old: { id: view.id, name: "Before rename", filters: "status=failed", shared: true },
      new: { id: view.id, name: "After rename", filters: "status=failed", shared: true },
    });

    const refusal = async (ctx: TenantContext, name: unknown) => {
      try {
        await renameViewFor(ctx, view.id, name);
      } catch (error) {
        if (error instanceof AppError) return { code: error.code, issues: fieldIssuesOf(error).map((e) => e.code) };
        throw error;
      }
      throw new Error("expected the rename to be refused");
    };
    await create(alice, { name: "Taken", filters: "" });
    expect(await refusal(alice, "Taken")).toEqual({ code: "conflict", issues: [] });
    expect(await refusal(alice, "   ")).toEqual({ code: "bad_request", issues: ["name_required"] });
    expect(await refusal(alice, "x".repeat(81))).toEqual({ code: "bad_request", issues: ["name_too_long"] });
    // A colleague may use the shared view, not rename it; another tenant does not find it.
    expect(await refusal(bob, "Bob's now")).toEqual({ code: "forbidden", issues: [] });
    expect(await refusal(stranger, "Ours now")).toEqual({ code: "not_found", issues: [] });
    expect((await list(alice)).filter((v) => v.name === "After rename")).toHaveLength(1);
    expect((await list(bob)).map((v) => v.name)).toContain("After rename");
  });
});
