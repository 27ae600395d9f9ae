import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import {
  createStreamDestination,
  deleteStreamDestination,
  getStreamDestination,
  listStreamDestinations,
  pauseStreamDestination,
  replayStreamDestination,
  resumeStreamDestination,
  testStreamDestination,
  updateStreamDestination,
} from "@/lib/handlers/log-streaming";
import { route, type TenantRouteCall } from "@/lib/http/route";
import { createTenant } from "../support/fixtures";
import { startWebhookReceiver } from "../support/stream-receivers";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { TenantContext } from "@/lib/domain";

type Handler<P> = (call: TenantRouteCall<P>) => Promise<Response>;

describe("log streaming settings (handlers)", () => {
  let db: TestDatabase;
  let admin: TenantContext;
  let other: TenantContext;

  const call = <P>(handler: Handler<P>, ctx: TenantContext, params: P, body?: unknown, method = "POST") =>
    route<P>((request, p) => handler({ ctx, sessionId: randomUUID(), request, params: p }))(
      new NextRequest("http://localhost/api/account/log-streaming", {
        method,
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      }),
      { params: Promise.resolve(params) },
    );

  const records = (tenantId: string) =>
    db.admin<Array<{ operation_type: string; user_principal_name: string; details: string }>>`
      select r.operation_type, r.user_principal_name,
             concat(d.resource_old_value::text, d.resource_new_value::text, d.customized_data::text) as details
      from activity_records r
      left join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${tenantId} and r.resource_type = 'log_stream_destination' order by r.id`;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    const a = await createTenant(db.admin, "usgov");
    const b = await createTenant(db.admin, "usgov");
    admin = { ...a, userId: randomUUID(), userPrincipalName: "admin@tailspin.example", role: "global_admin" };
    other = { ...b, userId: randomUUID(), userPrincipalName: "admin@other.example", role: "global_admin" };
  });
  afterAll(async () => {
    await closeDb();
    await db.drop();
  });

  it("create, show, change, pause, resume, replay, test and remove a destination, each recorded, the secret never shown again", async () => {
    const receiver = await startWebhookReceiver("whsec_" + Buffer.alloc(32, 7).toString("base64"));
    try {
      const bad = await call(createStreamDestination, admin, {}, { name: "SIEM", kind: "webhook" });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toMatch(/^url /);
      expect((await call(createStreamDestination, admin, {}, "not json")).status).toBe(400);

      const created = await call(
        createStreamDestination,
        admin,
        {},
        { name: "SIEM", kind: "webhook", url: receiver.url() },
      );
      expect(created.status).toBe(201);
      const { destination, signingSecret } = await created.json();
      expect(signingSecret).toMatch(/^whsec_/);
      expect(destination).toMatchObject({ name: "SIEM", hasSecret: true, pending: 0, deliveredCount: 0 });

      const shown = await (await call(getStreamDestination, admin, { id: destination.id }, undefined, "GET")).text();
      expect(shown).not.toContain(signingSecret);
      expect(shown).not.toContain("v1.");
      const listed = await (await call(listStreamDestinations, admin, {}, undefined, "GET")).json();
      expect(listed.destinations.map((d: { id: string }) => d.id)).toEqual([destination.id]);

      // Another tenant (same cloud) cannot see or touch it: 404, not 403.
      for (const [handler, body] of [
        [getStreamDestination, undefined],
        [pauseStreamDestination, undefined],
        [testStreamDestination, undefined],
        [deleteStreamDestination, undefined],
        [replayStreamDestination, { since: "2026-01-01T00:00:00Z" }],
      ] as const) {
        expect((await call(handler as Handler<{ id: string }>, other, { id: destination.id }, body)).status).toBe(404);
      }
      expect((await call(getStreamDestination, admin, { id: "not-a-uuid" }, undefined, "GET")).status).toBe(404);

      // The receiver knows the generated key: the test event arrives verified.
      const receiver2 = await startWebhookReceiver(signingSecret);
      try {
        const changed = await call(
          updateStreamDestination,
          admin,
          { id: destination.id },
          { name: "SIEM (EU)", kind: "webhook", url: receiver2.url(), statuses: ["failed"] },
          "PUT",
        );
        expect(changed.status).toBe(200);
        expect((await changed.json()).destination).toMatchObject({
          name: "SIEM (EU)",
          statuses: ["failed"],
          hasSecret: true,
        });
        const tested = await (await call(testStreamDestination, admin, { id: destination.id })).json();
        expect(tested).toEqual({ delivered: true, error: null });
        expect(receiver2.events).toHaveLength(1);
        expect(receiver2.events[0]).toMatchObject({
          test: true,
          operation: "test_log_stream",
          tenantId: admin.tenantId,
        });
      } finally {
        await receiver2.close();
      }

      const paused = await (await call(pauseStreamDestination, admin, { id: destination.id })).json();
      expect(paused.destination.pausedReason).toBe("Paused by admin@tailspin.example.");
      const resumed = await (await call(resumeStreamDestination, admin, { id: destination.id })).json();
      expect(resumed.destination.pausedAt).toBeNull();
      const badReplay = await call(replayStreamDestination, admin, { id: destination.id }, { since: "yesterday" });
      expect(badReplay.status).toBe(400);
      expect((await badReplay.json()).error.message).toMatch(/^since /);
      // A day that does not exist is refused, not read as the first days of the next month.
      const unrealDay = await call(
        replayStreamDestination,
        admin,
        { id: destination.id },
        { since: "2026-02-30T00:00:00Z" },
      );
      expect(unrealDay.status).toBe(400);
      const replay = await call(
        replayStreamDestination,
        admin,
        { id: destination.id },
        { since: "2026-01-01T00:00:00Z" },
      );
      expect(replay.status).toBe(200);
      expect((await replay.json()).queued).toBe(0); // only failures pass the filter; these records all succeeded
      expect((await call(deleteStreamDestination, admin, { id: destination.id }, undefined, "DELETE")).status).toBe(
        204,
      );
      expect((await call(getStreamDestination, admin, { id: destination.id }, undefined, "GET")).status).toBe(404);

      const log = await records(admin.tenantId);
      expect(log.map((r) => r.operation_type)).toEqual([
        "create_log_stream",
        "update_log_stream",
        "test_log_stream",
        "pause_log_stream",
        "resume_log_stream",
        "replay_log_stream",
        "delete_log_stream",
      ]);
      expect(log.every((r) => r.user_principal_name === "admin@tailspin.example")).toBe(true);
      for (const r of log) expect(r.details).not.toContain(signingSecret.slice(6, 20));
      expect(await records(other.tenantId)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("hides a token in the URL's query wherever the URL is shown, and an edit that keeps the shown URL keeps the token", async () => {
    const secret = "whsec_" + Buffer.alloc(32, 5).toString("base64");
    const receiver = await startWebhookReceiver(secret);
    try {
      const url = receiver.url("/in?index=main&token=s3cr3t-query-token");
      const created = await call(createStreamDestination, admin, {}, { name: "Tokened", kind: "webhook", url, secret });
      const { destination } = await created.json();
      expect(destination.url).toBe(receiver.url("/in?index=…&token=…"));
      const listed = await (await call(listStreamDestinations, admin, {}, undefined, "GET")).text();
      expect(listed).not.toContain("s3cr3t");

      // The form sends back the URL as shown: the stored token stays, and the worker still uses it.
      const changed = await call(
        updateStreamDestination,
        admin,
        { id: destination.id },
        { name: "Tokened (renamed)", kind: "webhook", url: destination.url },
        "PUT",
      );
      expect(changed.status).toBe(200);
      expect(await (await call(testStreamDestination, admin, { id: destination.id })).json()).toEqual({
        delivered: true,
        error: null,
      });
      expect(receiver.paths).toEqual(["/in?index=main&token=s3cr3t-query-token"]);

      // A new URL replaces it.
      const moved = await call(
        updateStreamDestination,
        admin,
        { id: destination.id },
        { name: "Tokened", kind: "webhook", url: receiver.url("/in?token=other") },
        "PUT",
      );
      expect((await moved.json()).destination.url).toBe(receiver.url("/in?token=…"));
      expect(await (await call(testStreamDestination, admin, { id: destination.id })).json()).toMatchObject({
        delivered: true,
      });
      expect(receiver.paths.at(-1)).toBe("/in?token=other");

      const log = await records(admin.tenantId);
      expect(log.some((r) => r.details.includes("token=…"))).toBe(true);
      for (const r of log) expect(r.details).not.toMatch(/s3cr3t|token=other/);
      await call(deleteStreamDestination, admin, { id: destination.id }, undefined, "DELETE");
    } finally {
      await receiver.close();
    }
  });
});
