import { describe, expect, it } from "vitest";
import { authorityFor } from "@/lib/partner-center/sync/authority";
import { parseConnectionForm } from "@/lib/partner-center/sync/connection-input";
import { daysBehind } from "@/lib/partner-center/sync/days-behind";
import { partnerCenterDate } from "@/lib/partner-center/sync/remote";
import { backoffMs, DEFAULT_RETRY_POLICY, retryAfterMs } from "@/lib/partner-center/sync/retry";
import { dayText, daysToRead } from "@/lib/partner-center/sync/sync-tenant";
import { at } from "../support/present";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const CLIENT = "5b0f8e2a-0c1d-4e3f-9a7b-6c5d4e3f2a10";
const NOW = new Date("2026-12-03T10:30:00Z");

describe("the sync's waits", () => {
  it("back off exponentially with full jitter, up to the cap", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseMs: 100, capMs: 1_000 };
    expect(backoffMs(policy, 1, () => 0.999)).toBe(99);
    expect(backoffMs(policy, 3, () => 0.5)).toBe(200);
    expect(backoffMs(policy, 10, () => 0.999)).toBe(999);
    expect(backoffMs(policy, 2, () => 0)).toBe(0);
  });

  it("honour Retry-After in seconds or as a date, capped", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 5_000 };
    expect(retryAfterMs("2", policy)).toBe(2_000);
    expect(retryAfterMs("3600", policy)).toBe(5_000);
    expect(retryAfterMs(new Date(NOW.getTime() + 1_000).toUTCString(), policy, NOW.getTime())).toBe(1_000);
    expect(retryAfterMs(null, policy)).toBeNull();
    expect(retryAfterMs("soon", policy)).toBeNull();
  });
});

describe("the days a run reads", () => {
  it("are the API's 90 days at first, then what is missing and the last 48 hours", () => {
    const all = daysToRead(NOW, new Set());
    expect(all).toHaveLength(90);
    expect(dayText(at(all, 0, "the first day"))).toBe("2026-09-05");
    expect(dayText(at(all, -1, "the last day"))).toBe("2026-12-03");
    const done = new Set(all.map(dayText));
    done.delete("2026-10-10");
    expect(daysToRead(NOW, done).map(dayText)).toEqual(["2026-10-10", "2026-12-01", "2026-12-02", "2026-12-03"]);
  });

  it("count days behind from the first day not stored", () => {
    const all = daysToRead(NOW, new Set()).map(dayText);
    expect(daysBehind(NOW, all)).toBe(0);
    expect(
      daysBehind(
        NOW,
        all.filter((d) => d !== "2026-12-01"),
      ),
    ).toBe(2);
    expect(daysBehind(NOW, [])).toBe(89);
  });

  it("are asked for in the SDK's date form, in UTC", () => {
    expect(partnerCenterDate(new Date("2026-09-05T07:08:09.999Z"))).toBe("09/05/2026 07:08:09");
  });
});

describe("each cloud's authority", () => {
  it("is its own, whatever the other is set to", () => {
    expect(authorityFor("commercial", {})).toBe("https://login.microsoftonline.com");
    expect(authorityFor("usgov", { PARTNER_CENTER_AUTHORITY_COMMERCIAL: "http://localhost:1" })).toBe(
      "https://login.microsoftonline.us",
    );
    expect(authorityFor("usgov", { PARTNER_CENTER_AUTHORITY_USGOV: "http://localhost:2/usgov/" })).toBe(
      "http://localhost:2/usgov",
    );
  });
});

describe("the connection form", () => {
  it("takes a client id, a secret, an https address and the switch", () => {
    expect(
      parseConnectionForm(
        form({ clientId: CLIENT.toUpperCase(), clientSecret: " s ", baseUrl: "https://pc.example/", enabled: "on" }),
        { hasSecret: false },
      ),
    ).toEqual({
      ok: true,
      value: { clientId: CLIENT, clientSecret: "s", baseUrl: "https://pc.example", enabled: true },
    });
  });

  it("keeps the stored secret and token when their fields are empty, and removes the token on request", () => {
    const kept = parseConnectionForm(form({ clientId: CLIENT }), { hasSecret: true });
    expect(kept).toEqual({
      ok: true,
      value: { clientId: CLIENT, baseUrl: "https://api.partnercenter.microsoft.com", enabled: false },
    });
    const removed = parseConnectionForm(form({ clientId: CLIENT, removeRefreshToken: "on" }), { hasSecret: true });
    expect(removed.ok && removed.value.refreshToken).toBeNull();
  });

  it("names each field that is wrong, with a code", () => {
    expect(parseConnectionForm(form({ clientId: "nope", baseUrl: "http://pc.example" }), { hasSecret: false })).toEqual(
      {
        ok: false,
        problems: [
          { field: "clientId", code: "clientIdFormat" },
          { field: "clientSecret", code: "secretRequired" },
          { field: "baseUrl", code: "baseUrlHttps" },
        ],
      },
    );
    expect(parseConnectionForm(form({ clientId: "", baseUrl: "not a url" }), { hasSecret: true })).toEqual({
      ok: false,
      problems: [
        { field: "clientId", code: "clientIdRequired" },
        { field: "baseUrl", code: "baseUrlFormat" },
      ],
    });
    const local = parseConnectionForm(form({ clientId: CLIENT, baseUrl: "http://127.0.0.1:3102" }), {
      hasSecret: true,
    });
    expect(local.ok).toBe(true);
  });
});
