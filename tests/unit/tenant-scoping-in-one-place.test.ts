import { describe, expect, it } from "vitest";
import { readSource, sourceFiles } from "../support/source-files";

/*
 * Row-level security trusts the transaction's settings (tenant, cloud, maintenance, the request
 * role). They are written in db/scope.ts only, so a new driver or script cannot scope a
 * transaction slightly differently; this test fails on any other source file that sets them.
 * Migrations (SQL) read and grant them, and are not scanned.
 */

const SCANNED = ["db", "lib", "app", "scripts", "components", "auth.ts", "proxy.ts"];
const ALLOWED = new Set(["db/scope.ts"]);

// Any quoting a SQL string can take: 'x', E'x', "x" or `x` in a JS string, $$x$$ / $tag$x$tag$.
const QUOTE = String.raw`(?:E?'|"|\x60|\$[A-Za-z_]*\$)`;
const FORBIDDEN: Array<{ what: string; pattern: RegExp }> = [
  { what: "set_config('app.…')", pattern: new RegExp(String.raw`set_config\s*\(\s*${QUOTE}\s*app\.`, "i") },
  { what: "set_config('role', …)", pattern: new RegExp(String.raw`set_config\s*\(\s*${QUOTE}\s*role\s*${QUOTE}`, "i") },
  { what: "SET LOCAL ROLE", pattern: /set\s+local\s+role\b/i },
  { what: "SET LOCAL app.…", pattern: /set\s+(?:local|session)\s+app\./i },
];

function findings(text: string): Array<{ line: number; what: string }> {
  return text
    .split("\n")
    .flatMap((line, i) =>
      FORBIDDEN.filter(({ pattern }) => pattern.test(line)).map(({ what }) => ({ line: i + 1, what })),
    );
}

describe("tenant and maintenance scoping", () => {
  it("recognises the forms a stray scope would take", () => {
    for (const stray of [
      "select set_config('app.tenant_id', $1, true)",
      'SELECT SET_CONFIG("app.cloud", x, true)',
      "select set_config( E'app.maintenance', 'on', false)",
      "select set_config($$app.retention$$, 'on', true)",
      "select set_config('role', 'activity_app', true)",
      "set local role activity_app",
      "SET LOCAL app.tenant_id = 'x'",
    ])
      expect(findings(stray), stray).not.toEqual([]);
    expect(findings("select set_config('statement_timeout', $1, true)")).toEqual([]);
  });

  it("sets them in db/scope.ts only", () => {
    const files = SCANNED.flatMap(sourceFiles);
    expect(files).toContain("db/scope.ts");
    expect(files).toContain("db/with-tenant.ts");
    const strays = files
      .filter((file) => !ALLOWED.has(file))
      .flatMap((file) => findings(readSource(file)).map(({ line, what }) => `${file}:${line}: ${what}`));
    expect(strays, "scope transactions through db/scope.ts").toEqual([]);
  });
});

describe("the scoping statement", () => {
  it("is one strings array per shape, whatever the tenant, so postgres.js's per-template cache stays bounded", async () => {
    const { tenantScopeStatement } = await import("@/db/scope");
    const a = tenantScopeStatement({ tenantId: "0a000000-0000-4000-8000-00000000000a", cloud: "commercial" });
    const b = tenantScopeStatement({ tenantId: "0b000000-0000-4000-8000-00000000000b", cloud: "usgov" });
    expect(b.strings).toBe(a.strings);
    expect(b.values).toEqual(["0b000000-0000-4000-8000-00000000000b", "usgov", "activity_app", "1.1"]);
    expect(a.values[0]).toBe("0a000000-0000-4000-8000-00000000000a");
    const extra = tenantScopeStatement({ tenantId: "x", cloud: "commercial" }, [
      { name: "statement_timeout", value: "5s" },
    ]);
    expect(extra.strings).not.toBe(a.strings);
  });
});
