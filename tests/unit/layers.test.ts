import { describe, expect, it } from "vitest";
import { readSource, sourceFiles } from "../support/source-files";

/*
 * Where things live: SQL and table definitions in db/, the shared vocabulary in lib/domain.ts, the
 * permission table without Auth.js. lib/, app/ and components/ may hold a postgres.js handle (a
 * type) but never write SQL or reach for the tables; only the database bootstrap, which creates and
 * probes the database itself, does.
 */

const OUTSIDE_DB = ["lib", "app", "components", "auth.ts", "proxy.ts"];
const BOOTSTRAP = new Set(["lib/database-url.ts", "lib/embedded-db.ts"]);

const RULES: Array<{ what: string; pattern: RegExp }> = [
  {
    what: "imports db/schema (tables belong to db/, constants to lib/domain.ts)",
    pattern: /from\s+"(?:@\/db|(?:\.\.?\/)+db|\.)\/schema"/,
  },
  { what: "imports drizzle-orm (queries belong to db/)", pattern: /^import\s+(?!type\b)[^;]*from\s+"drizzle-orm/m },
  {
    what: "imports postgres.js as a value (SQL belongs to db/)",
    pattern: /^import\s+(?!type\b)[^;]*from\s+"postgres"/m,
  },
  { what: "writes SQL (sql`…` or .unsafe)", pattern: /\bsql`|\.unsafe\(/ },
];

function violations(file: string, text: string): string[] {
  return RULES.filter(({ pattern }) => pattern.test(text)).map(({ what }) => `${file}: ${what}`);
}

describe("layers", () => {
  it("recognises what a stray would look like", () => {
    expect(violations("x.ts", 'import { OPERATION_STATUSES } from "@/db/schema";')).toHaveLength(1);
    expect(violations("x.ts", 'import { customers } from "../../db/schema";')).toHaveLength(1);
    expect(violations("x.ts", 'import { and, eq } from "drizzle-orm";')).toHaveLength(1);
    expect(violations("x.ts", 'import postgres from "postgres";')).toHaveLength(1);
    expect(violations("x.ts", "await tx`select 1`; await sql`select 1`")).toHaveLength(1);
    expect(violations("x.ts", 'import type { Sql } from "postgres";\nimport type { SQL } from "drizzle-orm";')).toEqual(
      [],
    );
  });

  it("keeps SQL and tables in db/ and the vocabulary in lib/domain.ts", () => {
    const files = OUTSIDE_DB.flatMap(sourceFiles);
    expect(files).toContain("lib/domain.ts");
    const strays = files.filter((f) => !BOOTSTRAP.has(f)).flatMap((f) => violations(f, readSource(f)));
    expect(strays).toEqual([]);
  });

  it("reads the vocabulary and the permission table without the database or Auth.js", () => {
    expect(readSource("lib/domain.ts")).not.toMatch(/^import /m);
    expect(readSource("lib/auth/permissions.ts")).not.toMatch(/from\s+"(?!@\/lib\/domain")/);
  });
});
