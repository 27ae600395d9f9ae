import { existsSync, readFileSync } from "node:fs";
import nodePath from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Cookie, type Page } from "@playwright/test";
import postgres from "postgres";

export { at, firstRow, required } from "../support/present";

export const DEMO_PASSWORD = "demo-password";

/** The sign-in page's provider buttons, as an English reader sees them. */
export const CLOUD_BUTTON = {
  commercial: /Sign in with Microsoft Entra ID \(Commercial\)/,
  usgov: /Sign in with Microsoft Entra ID \(US Government\)/,
} as const;

type Cloud = keyof typeof CLOUD_BUTTON;

/** The US Government-only deployment the e2e run starts beside the main one. */
export const SOVEREIGN_URL = `http://localhost:${Number(process.env.E2E_PORT ?? 3100) + 100}`;

/** The accounts specs sign in without `fresh`, each on the server and cloud it belongs to. */
export const SAVED_ACCOUNTS: ReadonlyArray<{ email: string; cloud: Cloud; server: "main" | "sovereign" }> = [
  ...[
    "admin@contoso.example",
    "agent@contoso.example",
    "sales@contoso.example",
    "billing@contoso.example",
    "admin@fabrikam.example",
    "agent@fabrikam.example",
  ].map((email) => ({ email, cloud: "commercial" as const, server: "main" as const })),
  { email: "admin@tailspin.example", cloud: "usgov", server: "sovereign" },
];

/**
 * Where the setup project saves one account's signed-in browser state: under the run's data folder,
 * so it never lands in the repository and never outlives the databases its sessions live in.
 */
export function storageStatePath(origin: string, cloud: Cloud, email: string): string {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is not set: playwright.config.ts sets it for every run");
  const name = `${new URL(origin).port}-${cloud}-${email}`.replace(/[^\w.@-]/g, "_");
  return nodePath.join(dataDir, "storage-state", `${name}.json`);
}

const isSessionCookie = (c: Cookie) => c.name.includes("session-token");

/*
 * Sessions signed in once per account and server: by the setup project (saved as storage state),
 * or by an earlier test of this worker. Signing in through the authority's form a hundred times was
 * minutes of every run. A reused session that no longer holds (signed out, ended by an admin) lands
 * on the sign-in page, and the real flow runs again. Tests about signing in itself pass `fresh: true`.
 */
const signedIn = new Map<string, Cookie[]>();

function keptSession(origin: string, cloud: Cloud, email: string): Cookie[] | undefined {
  const key = `${origin} ${cloud} ${email}`;
  const kept = signedIn.get(key);
  if (kept) return kept;
  const file = storageStatePath(origin, cloud, email);
  if (!existsSync(file)) return undefined;
  const saved = (JSON.parse(readFileSync(file, "utf8")) as { cookies: Cookie[] }).cookies.filter(isSessionCookie);
  signedIn.set(key, saved);
  return saved;
}

/**
 * Signs in: with the account's saved session if it still holds, otherwise through the real OIDC
 * flow: the app's sign-in page, then the local authority's form. The app's provider buttons are
 * found by test id, so this works in every interface language; the local authority's page (a
 * stand-in for Entra ID, not our product) stays in English.
 */
export async function signIn(
  page: Page,
  email: string,
  { cloud = "commercial", path = "/", fresh = false }: { cloud?: Cloud; path?: string; fresh?: boolean } = {},
) {
  const originOf = (at: string) => new URL(at).origin;
  await page.goto(path);
  if (!fresh) {
    const kept = keptSession(originOf(page.url()), cloud, email);
    if (kept) {
      await page.context().addCookies(kept);
      await page.goto(path);
      if (!new URL(page.url()).pathname.startsWith("/signin")) return;
    }
  }
  await expect(page).toHaveURL(/\/signin/);
  const app = originOf(page.url());
  await page.getByTestId(`sign-in-${cloud}`).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back on the app past its callback (signed in, or refused on its sign-in page), or refused by
  // the authority on its own page. Only a session that got in is kept.
  const back = page.waitForURL((url) => url.origin === app && !url.pathname.startsWith("/api/auth"));
  const refused = page.getByRole("alert").first().waitFor();
  const outcome = await Promise.race([back.then(() => "back" as const), refused.then(() => "refused" as const)]);
  back.catch(() => {});
  refused.catch(() => {});
  if (outcome === "refused" || new URL(page.url()).pathname.startsWith("/signin")) return;
  signedIn.set(`${app} ${cloud} ${email}`, (await page.context().cookies(app)).filter(isSessionCookie));
}

/** The e2e server's embedded database, for finding fixtures and injecting faults. */
export function e2eDatabaseUrl(): string {
  return `postgres://postgres:postgres@localhost:${process.env.E2E_PG_PORT ?? 15531}/activity_log`;
}

export const CONTOSO_ID = "3f5c2a8e-7b1d-4c6a-9e2f-1a2b3c4d5e01";
export const FABRIKAM_ID = "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c02";
export const TAILSPIN_ID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e03";

/** Today and the same day a month earlier, in UTC: the page's default range. */
export function defaultUtcRange(now = new Date()) {
  const to = now.toISOString().slice(0, 10);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth(); // 0-based: the previous month is m - 1
  const lastDayPrev = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const from = new Date(Date.UTC(y, m - 1, Math.min(now.getUTCDate(), lastDayPrev))).toISOString().slice(0, 10);
  return { from, to };
}

/**
 * A YYYY-MM-DD day as the page writes days in that language (the table, the summaries and the date
 * fields): "Nov 4, 2026" in English, "2026. 11. 04." in Korean.
 */
export function dayAsShown(iso: string, locale: "en" | "ko"): string {
  const options: Intl.DateTimeFormatOptions =
    locale === "ko"
      ? { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }
      : { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(locale, options).format(new Date(`${iso}T00:00:00Z`));
}

/** The rule sets every page is held to: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] as const;

/**
 * Runs axe on the page as it is now and fails on any serious or critical violation, naming each
 * rule and the elements it found. Lesser findings are noted on the test, not failed.
 */
export async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags([...WCAG_TAGS]).analyze();
  // An empty page (or a page axe could not read) passes nothing: make sure it really checked something.
  expect(results.passes.length, `axe checked ${page.url()}`).toBeGreaterThan(0);
  const describe = (v: (typeof results.violations)[number]) =>
    `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`;
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of results.violations.filter((v) => !serious.includes(v))) {
    base.info().annotations.push({ type: "axe", description: `${page.url()}: ${describe(v)}` });
  }
  expect(serious.map(describe), `serious or critical axe violations on ${page.url()}`).toEqual([]);
  return results;
}

/** An account to sign in as: an email on the main server's commercial cloud, or with its cloud. */
export type Account = string | { email: string; cloud: Cloud };

/**
 * `test` with fixtures: `test.use({ account })` gives a page already signed in as that account (at
 * the base URL's server), and `sql` is one connection per worker to the e2e server's database.
 */
export const test = base.extend<{ account: Account | undefined }, { sql: postgres.Sql }>({
  account: [undefined, { option: true }],
  // (Playwright's `use` callback is named `provide` here: lint reads a bare `use()` as React's hook.)
  page: async ({ page, account }, provide) => {
    if (account !== undefined) {
      const { email, cloud } = typeof account === "string" ? { email: account, cloud: "commercial" as const } : account;
      await signIn(page, email, { cloud });
    }
    await provide(page);
  },
  sql: [
    async ({}, provide) => {
      const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
      await provide(sql);
      await sql.end();
    },
    { scope: "worker" },
  ],
});
