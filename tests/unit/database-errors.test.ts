import { describe, expect, it } from "vitest";
import { connectionFailure } from "@/lib/database-errors";
import { databaseUnavailableCode, toErrorResponse } from "@/lib/errors";

/* One reading of a failed connection, for the 503, the pools' guard and the export's retry. */

const pg = (fields: Record<string, unknown>) => Object.assign(new Error("x"), fields);

describe("connectionFailure", () => {
  it("tells a session that died from a database that cannot be reached", () => {
    for (const code of ["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]) {
      expect(connectionFailure(pg({ code })), code).toEqual({ code, lost: true });
    }
    for (const code of [
      "ECONNREFUSED",
      "CONNECT_TIMEOUT",
      "CONNECTION_ENDED",
      "ENOTFOUND",
      "EAI_AGAIN",
      "08006",
      "57P01",
      "57P03",
    ]) {
      expect(connectionFailure(pg({ code })), code).toEqual({ code, lost: false });
    }
    // The server ending the session: a FATAL message, whatever its code.
    expect(connectionFailure(pg({ code: "28P01", severity: "FATAL" }))).toEqual({ code: "28P01", lost: true });
    expect(connectionFailure(pg({ severity: "PANIC" }))).toEqual({ code: "PANIC", lost: true });
  });

  it("looks through wrappers (Drizzle's failed query) to the driver's error", () => {
    const wrapped = Object.assign(new Error("Failed query"), { cause: pg({ code: "ECONNREFUSED" }) });
    expect(connectionFailure(wrapped)).toEqual({ code: "ECONNREFUSED", lost: false });
    expect(databaseUnavailableCode(wrapped)).toBe("ECONNREFUSED");
  });

  it("leaves statement failures and other errors alone", () => {
    for (const error of [
      pg({ code: "23505", severity: "ERROR" }),
      pg({ code: "57014", severity: "ERROR" }),
      new Error("bug"),
      null,
      "text",
    ]) {
      expect(connectionFailure(error)).toBeNull();
    }
  });

  it("answers an unreachable database with a 503 that says to retry", async () => {
    const response = toErrorResponse(pg({ code: "57P01" }));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect((await response.json()).error.code).toBe("unavailable");
  });
});
