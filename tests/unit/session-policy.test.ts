import { describe, expect, it } from "vitest";
import { needsTouch, sessionPolicy, sessionState } from "@/lib/auth/session-policy";
import { ConfigError } from "@/lib/errors";

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 2, 9, 0) + minutes * 60_000);

describe("session timeouts", () => {
  const policy = sessionPolicy({});

  it("default to 15 idle minutes and 8 hours in all", () => {
    expect(policy.idleMs).toBe(15 * 60_000);
    expect(policy.maxMs).toBe(8 * 3_600_000);
  });

  it("end a session idle for the idle timeout, and not a minute before", () => {
    const session = { createdAt: at(0), lastSeenAt: at(10) };
    expect(sessionState(session, at(24), policy)).toBe("active");
    expect(sessionState(session, at(25), policy)).toBe("idle");
  });

  it("end a busy session at its absolute lifetime", () => {
    const session = { createdAt: at(0), lastSeenAt: at(8 * 60 - 1) };
    expect(sessionState(session, at(8 * 60 - 1), policy)).toBe("active");
    expect(sessionState(session, at(8 * 60), policy)).toBe("expired");
  });

  it("write last-seen at most every 30 seconds", () => {
    const session = { lastSeenAt: at(0) };
    expect(needsTouch(session, new Date(at(0).getTime() + 29_000), policy)).toBe(false);
    expect(needsTouch(session, new Date(at(0).getTime() + 30_000), policy)).toBe(true);
  });

  it("read SESSION_IDLE_MINUTES and SESSION_MAX_HOURS, and refuse nonsense in words", () => {
    expect(sessionPolicy({ SESSION_IDLE_MINUTES: "5", SESSION_MAX_HOURS: "12" })).toMatchObject({
      idleMs: 5 * 60_000,
      maxMs: 12 * 3_600_000,
    });
    expect(() => sessionPolicy({ SESSION_IDLE_MINUTES: "soon" })).toThrow(ConfigError);
    expect(() => sessionPolicy({ SESSION_MAX_HOURS: "-1" })).toThrow(/SESSION_MAX_HOURS must be a number of hours/);
  });
});
