import { describe, expect, it } from "vitest";
import { readSource, sourceFiles } from "../support/source-files";

/*
 * One look for tables and buttons: pages use components/ui instead of hand-rolling them. The
 * activity log's own tables are the exception, with the reason: the records table is TanStack's
 * (sticky header, phone cards, expandable rows), the chart's is its accessible data alternative,
 * and a record's details lay out order lines in place.
 */

const OWN_TABLES = new Set([
  "app/account/activity-log/_components/activity-table.tsx",
  "app/account/activity-log/_components/activity-chart.tsx",
  "app/account/activity-log/_components/activity-details.tsx",
]);

const RULES: Array<{ what: string; pattern: RegExp; allowed: (file: string) => boolean }> = [
  { what: "hand-rolls a table (use components/ui/table.tsx)", pattern: /<table\b/, allowed: (f) => OWN_TABLES.has(f) },
  {
    what: "hand-rolls a primary button (use components/ui/button.tsx)",
    pattern: /\bbg-brand\s+px-/,
    allowed: () => false,
  },
];

function strays(file: string, text: string): string[] {
  return RULES.filter((r) => r.pattern.test(text) && !r.allowed(file)).map((r) => `${file}: ${r.what}`);
}

describe("the UI kit", () => {
  it("recognises a hand-rolled table or button", () => {
    expect(strays("app/x/page.tsx", '<table className="min-w-full">')).toHaveLength(1);
    expect(strays("app/x/page.tsx", '<button className="rounded bg-brand px-4 py-1.5">')).toHaveLength(1);
    expect(strays("app/x/page.tsx", '<Table caption="x">')).toEqual([]);
  });

  it("is used by every page for tables and buttons", () => {
    const files = ["app", "components"].flatMap(sourceFiles).filter((f) => !f.startsWith("components/ui/"));
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((f) => strays(f, readSource(f)))).toEqual([]);
  });
});
