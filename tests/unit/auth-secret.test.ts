import { describe, expect, it } from "vitest";
import { assertProductionSecret } from "@/lib/auth/secret";

describe("the production secret check", () => {
  it("refuses a missing, default or short secret when real authorities are configured", () => {
    expect(() => assertProductionSecret({}, true)).toThrow(/must be set/);
    expect(() => assertProductionSecret({ AUTH_SECRET: "changeme" }, true)).toThrow(/default or too short/);
    expect(() => assertProductionSecret({ AUTH_SECRET: "short-but-random-9f2" }, true)).toThrow(/default or too short/);
  });

  it("accepts a strong secret, and leaves demo mode (local authority) alone", () => {
    expect(() => assertProductionSecret({ AUTH_SECRET: "q3Zx9rT1vB7nM2kL8pW4sD6fG0hJ5aYc" }, true)).not.toThrow();
    expect(() => assertProductionSecret({}, false)).not.toThrow();
  });
});
