import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { getConnectionStatus, saveConnection } from "@/db/partner-center-connection";
import * as schema from "@/db/schema";
import { encryptSecret } from "@/lib/secret-box";
import { startPartnerCenterStandin, type PartnerCenterStandin } from "@/lib/partner-center/standin/server";
import type { RetryPolicy } from "@/lib/partner-center/sync/retry";
import { REFRESH_TOKEN_PURPOSE, SECRET_PURPOSE, syncTenant } from "@/lib/partner-center/sync/sync-tenant";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { Cloud, TenantContext } from "@/lib/domain";

const DAY = 86_400_000;
// One frozen clock for the stand-in and the sync, so "now" means the same to both sides.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const clock = () => new Date(NOW);
const FIRST_DAY = (Math.floor((NOW - 90 * DAY) / DAY) + 1) * DAY;
const FAST: RetryPolicy = { attempts: 5, baseMs: 5, capMs: 40, timeoutMs: 800, maxRetryAfterMs: 2_000 };

interface Tenant {
  id: string;
  cloud: Cloud;
  secret: string;
  recordsPerDay: number;
}
const tenant = (cloud: Cloud, recordsPerDay: number): Tenant => ({
  id: randomUUID(),
  cloud,
  secret: `s3cret-${randomBytes(12).toString("hex")}`,
  recordsPerDay,
});
const big = tenant("commercial", 556); // 90 days: ~50,000 records
const killed = tenant("commercial", 600);
const faulty = tenant("commercial", 12);
const late = tenant("commercial", 6);
const sovereign = tenant("usgov", 8);
const refreshing = tenant("commercial", 4);
const cut = tenant("commercial", 10);
const ALL = [big, killed, faulty, late, sovereign, refreshing, cut];

describe("Partner Center sync against the stand-in", () => {
  let db: TestDatabase;
  let client: postgres.Sql;
  let orm: Database;
  let standin: PartnerCenterStandin;
  let env: Record<string, string>;
  const logged: string[] = [];

  const ctxOf = (t: Tenant): TenantContext => ({
    tenantId: t.id,
    cloud: t.cloud,
    userId: randomUUID(),
    userPrincipalName: "admin@partner.example",
    role: "global_admin",
  });
  const scopeOf = (t: Tenant) => ({ tenantId: t.id, cloud: t.cloud });
  const sync = (t: Tenant, extra: Partial<Parameters<typeof syncTenant>[2]> = {}) =>
    syncTenant(client, scopeOf(t), { now: clock, env, policy: FAST, log: (l) => logged.push(l), ...extra });
  const expected = (t: Tenant) => standin.recordsBetween(t.id, new Date(FIRST_DAY), clock());
  async function stored(t: Tenant) {
    const [row] = await db.admin<[{ records: number; distinct: number; clouds: string[] }]>`
      select count(*)::int as records, count(distinct d.source_record->>'id')::int as distinct,
             array_agg(distinct r.cloud) as clouds
      from activity_records r
      join activity_record_details d on (d.tenant_id, d.occurred_at, d.record_id) = (r.tenant_id, r.occurred_at, r.id)
      where r.tenant_id = ${t.id} and d.source_record is not null`;
    return row;
  }
  const ids = async (t: Tenant) =>
    (
      await db.admin<{ id: string }[]>`
        select d.source_record->>'id' as id from activity_record_details d
        where d.tenant_id = ${t.id} and d.source_record is not null`
    )
      .map((r) => r.id)
      .sort();

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const t of ALL) {
      await db.admin`insert into partner_tenants (id, cloud, name) values (${t.id}, ${t.cloud}, ${"Partner " + t.id.slice(0, 4)})`;
    }
    standin = await startPartnerCenterStandin({
      now: () => NOW,
      partners: ALL.map((t) => ({
        tenantId: t.id,
        cloud: t.cloud,
        clientId: `client-${t.id}`,
        clientSecret: t.secret,
        recordsPerDay: t.recordsPerDay,
        ...(t === refreshing ? { refreshToken: "first-refresh-token" } : {}),
      })),
    });
    env = {
      PARTNER_CENTER_AUTHORITY_COMMERCIAL: standin.authorityFor("commercial"),
      PARTNER_CENTER_AUTHORITY_USGOV: standin.authorityFor("usgov"),
    };
    client = postgres(db.url, { max: 4, onnotice: () => {} });
    orm = drizzle(client, { schema });
    for (const t of ALL) {
      await saveConnection(
        {
          ctx: ctxOf(t),
          change: {
            clientId: `client-${t.id}`,
            clientSecret: encryptSecret(t.secret, SECRET_PURPOSE, t.id),
            baseUrl: standin.url,
            enabled: true,
            ...(t === refreshing
              ? { refreshToken: encryptSecret("first-refresh-token", REFRESH_TOKEN_PURPOSE, t.id) }
              : {}),
          },
        },
        orm,
      );
    }
  }, 120_000);

  afterAll(async () => {
    await standin?.close();
    await client?.end();
    await db?.drop();
  });

  it("backfills the API's 90 days, about 50,000 records, storing each once", async () => {
    const want = expected(big);
    expect(want.length).toBeGreaterThan(49_000);
    const result = await sync(big);
    expect(result).toMatchObject({ status: "done", stored: want.length, error: null });
    expect(result.days).toBe(90);
    const counts = await stored(big);
    expect(counts).toEqual({ records: want.length, distinct: want.length, clouds: ["commercial"] });
    expect(await ids(big)).toEqual(want.map((r) => String(r.id)).sort());

    // The next run reads only the days that can still change, and stores nothing twice.
    const before = standin.requests.length;
    const again = await sync(big);
    expect(again).toMatchObject({ status: "done", stored: 0 });
    expect(again.days).toBeLessThanOrEqual(3);
    expect(standin.requests.length - before).toBeLessThan(12);
    expect((await stored(big)).records).toBe(want.length);

    const status = await getConnectionStatus({ ctx: ctxOf(big), since: "2000-01-01" }, orm);
    expect(status).toMatchObject({ totalStored: want.length, lastRunStored: 0, lastError: null, enabled: true });
    expect(status!.completedDays).toHaveLength(90);
    expect(status!.lastSuccessAt).toEqual(clock());
  }, 240_000);

  it("resumes after the sync process is killed mid-day: no gap, no duplicate", async () => {
    const want = expected(killed);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/sync-partner-center.ts", "--tenant", killed.id, "--page-size", "100"],
      { env: { ...process.env, ...env, DATABASE_URL: db.url }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Killed in the middle of a day: some pages of it stored, the day not checkpointed.
    const pagesOf = () => standin.requests.filter((r) => r.endpoint === "api" && r.tenantId === killed.id).length;
    await expect
      .poll(
        () => {
          // A child that ends before the kill failed: say how.
          expect(child.exitCode, output).toBeNull();
          return pagesOf();
        },
        { timeout: 60_000, interval: 20 },
      )
      .toBeGreaterThanOrEqual(63);
    child.kill("SIGKILL");
    await exited;
    const partial = await stored(killed);
    expect(partial.records, output).toBeGreaterThan(0);
    expect(partial.records).toBeLessThan(want.length);
    expect(partial.distinct).toBe(partial.records);

    const result = await sync(killed);
    expect(result.status).toBe("done");
    expect(await stored(killed)).toEqual({ records: want.length, distinct: want.length, clouds: ["commercial"] });
    expect(await ids(killed)).toEqual(want.map((r) => String(r.id)).sort());
  }, 180_000);

  it("reaches the same end state through 429s, 500s, timeouts, resets and expired tokens", async () => {
    standin.injectFaults([
      { kind: "429", retryAfterSeconds: 0 },
      { kind: "500" },
      { kind: "timeout" },
      { kind: "reset" },
      { kind: "expired-token" },
      { kind: "503" },
      { kind: "429", retryAfterSeconds: 1 },
    ]);
    // Also on request over HTTP, as a demo or another process injects them.
    const queued = await fetch(`${standin.url}/_standin/faults`, {
      method: "POST",
      body: JSON.stringify({ target: "token", faults: [{ kind: "503" }] }),
    });
    expect(await queued.json()).toEqual({ queued: 1 });
    const result = await sync(faulty);
    expect(result).toMatchObject({ status: "done", error: null });
    const want = expected(faulty);
    expect(await stored(faulty)).toEqual({ records: want.length, distinct: want.length, clouds: ["commercial"] });

    // More failures than attempts end the run with the reason in words; the next run makes up for it.
    await db.admin`delete from partner_center_sync_days where tenant_id = ${faulty.id} and day = (
      select min(day) from partner_center_sync_days where tenant_id = ${faulty.id})`;
    // Enough for every request in flight (the sync reads a few days ahead) to fail every attempt.
    standin.injectFaults(Array.from({ length: FAST.attempts * 6 }, () => ({ kind: "500" as const })));
    const failed = await sync(faulty);
    standin.clearFaults();
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/failed 5 times in a row; the last time: HTTP 500/);
    const status = await getConnectionStatus({ ctx: ctxOf(faulty), since: "2000-01-01" }, orm);
    expect(status!.lastError).toBe(failed.error);
    expect(await sync(faulty)).toMatchObject({ status: "done", stored: 0, error: null });
    expect((await stored(faulty)).records).toBe(want.length);
  }, 120_000);

  it("reads a page again when its answer is cut off or stalls half-way, instead of taking it for no records", async () => {
    standin.injectFaults([{ kind: "cut-body" }, { kind: "stall-body" }, { kind: "cut-body" }]);
    const result = await sync(cut);
    expect(result).toMatchObject({ status: "done", stored: expected(cut).length, error: null });
    expect(standin.requests.filter((r) => r.endpoint === "api" && r.tenantId === cut.id).length).toBeGreaterThan(90);
    expect(await ids(cut)).toEqual(
      expected(cut)
        .map((r) => String(r.id))
        .sort(),
    );
  }, 60_000);

  it("stores records Partner Center delivers late on the next run", async () => {
    await sync(late);
    const yesterday = NOW - DAY;
    const lateRecord = {
      ...standin.recordsBetween(late.id, new Date(yesterday - DAY / 2), new Date(yesterday))[0],
      id: `${late.id}_late-${randomUUID()}`,
      operationType: "update_subscription",
    };
    standin.addLateRecords(late.id, [lateRecord]);
    const before = (await stored(late)).records;
    expect(await sync(late)).toMatchObject({ status: "done", stored: 1 });
    expect((await stored(late)).records).toBe(before + 1);
    expect(await ids(late)).toContain(lateRecord.id);
  }, 60_000);

  it("refuses and reports a record of another partner, and stores the rest", async () => {
    await sync(late);
    const other = randomUUID();
    const before = (await stored(late)).records;
    standin.injectFaults([{ kind: "foreign-record", partnerId: other }]);
    const result = await sync(late);
    expect(result.status).toBe("done");
    expect(result.error).toBe(`Partner Center returned 1 record of another partner (${other}); it was not stored.`);
    expect((await stored(late)).records).toBe(before);
    expect(await ids(late)).not.toContain(expect.stringContaining(other));
  }, 60_000);

  it("gets the US Government tenant's tokens from the US Government authority only", async () => {
    const result = await sync(sovereign);
    expect(result.status).toBe("done");
    const calls = standin.requests.filter((r) => r.tenantId === sovereign.id);
    expect(calls.some((r) => r.endpoint === "usgov" && r.status === 200)).toBe(true);
    expect(calls.filter((r) => r.endpoint === "commercial")).toEqual([]);
    expect((await stored(sovereign)).clouds).toEqual(["usgov"]);

    // Pointed at the commercial authority, the sovereign tenant is unknown there: no token.
    const misrouted = await sync(sovereign, {
      env: { ...env, PARTNER_CENTER_AUTHORITY_USGOV: standin.authorityFor("commercial") },
    });
    expect(misrouted.status).toBe("failed");
    expect(misrouted.error).toMatch(/refused the token request .*not found in this cloud/);
  }, 60_000);

  it("syncs a tenant in one place at a time: while another instance holds it, a run skips it", async () => {
    const other = await db.admin.reserve(); // another instance's run, holding the tenant's lock
    try {
      await other`select pg_advisory_lock(hashtextextended('partner-center-sync:' || ${late.id}, 0))`;
      const requests = standin.requests.length;
      expect(await sync(late)).toEqual({ status: "busy", stored: 0, days: 0, error: null });
      expect(standin.requests.length).toBe(requests);
      await other`select pg_advisory_unlock(hashtextextended('partner-center-sync:' || ${late.id}, 0))`;
    } finally {
      other.release();
    }
    expect((await sync(late)).status).toBe("done");
  }, 60_000);

  it("uses the refresh token of app + user and keeps the rotated one, sealed", async () => {
    expect(await sync(refreshing)).toMatchObject({ status: "done", error: null });
    const rotated = standin.refreshTokenOf(refreshing.id)!;
    expect(rotated).not.toBe("first-refresh-token");
    const [row] = await db.admin<[{ refresh_token: string }]>`
      select refresh_token from partner_center_connections where tenant_id = ${refreshing.id}`;
    expect(row.refresh_token).not.toContain(rotated);
    // The next run can only succeed with the rotated token: the first one is spent.
    expect(await sync(refreshing)).toMatchObject({ status: "done", error: null });
  }, 60_000);

  it("says in words when the secret is wrong, and never shows or stores a secret in clear", async () => {
    const wrong = tenant("commercial", 1);
    await db.admin`insert into partner_tenants (id, cloud, name) values (${wrong.id}, 'commercial', 'Wrong secret')`;
    await saveConnection(
      {
        ctx: ctxOf(wrong),
        change: {
          clientId: `client-${faulty.id}`,
          clientSecret: encryptSecret("not-the-secret", SECRET_PURPOSE, wrong.id),
          baseUrl: standin.url,
          enabled: true,
        },
      },
      orm,
    );
    const result = await sync(wrong);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^127\.0\.0\.1:\d+ (refused the token request|does not know the client id)/);

    const dump = JSON.stringify(await db.admin`select * from partner_center_connections`);
    const statuses = JSON.stringify(
      await Promise.all(ALL.map((t) => getConnectionStatus({ ctx: ctxOf(t), since: "2000-01-01" }, orm))),
    );
    const records = JSON.stringify(
      await db.admin`select * from activity_record_details where customized_data ? 'secretChanged'`,
    );
    for (const t of ALL) {
      expect(dump).not.toContain(t.secret);
      expect(statuses).not.toContain(t.secret);
      expect(records).not.toContain(t.secret);
      expect(logged.join("\n")).not.toContain(t.secret);
      expect(String(result.error)).not.toContain(t.secret);
    }
    expect(dump).not.toContain("not-the-secret");
  }, 60_000);
});
