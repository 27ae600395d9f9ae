import { expect, request as playwrightRequest, test, type BrowserContext, type Page } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, FABRIKAM_ID, required, signIn } from "./support";

/*
 * Server-side sessions: a copy of the session cookie stops working the moment its session ends:
 * at sign-out, after the idle or absolute timeout (aged here in the database, the server's clock
 * is the real one), when an admin ends it, or when its user signs out everywhere.
 */

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

const baseURL = `http://localhost:${Number(process.env.E2E_PORT ?? 3100)}`;

async function sessionCookieHeader(context: BrowserContext): Promise<string> {
  const cookies = await context.cookies(baseURL);
  const session = cookies.filter((c) => c.name.includes("authjs.session-token"));
  expect(session.length, "a session cookie after sign-in").toBeGreaterThan(0);
  return session.map((c) => `${c.name}=${c.value}`).join("; ");
}

/** What a plain HTTP client holding that cookie gets: a page and an API call. */
async function replay(cookie: string) {
  const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { cookie } });
  try {
    const page = await client.get("/account/activity-log", { maxRedirects: 0 });
    const api = await client.get("/api/activity-log/export", {
      maxRedirects: 0,
      headers: { accept: "application/json" },
    });
    return { page: page.status(), location: page.headers().location ?? "", api: api.status() };
  } finally {
    await client.dispose();
  }
}

/** The user's sessions, newest first: other tests may have left sessions of the same user. */
async function userSessionIds(upn: string, tenantId = CONTOSO_ID): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select s.id from user_sessions s join partner_users u on u.tenant_id = s.tenant_id and u.id = s.user_id
    where s.tenant_id = ${tenantId} and u.user_principal_name = ${upn}
    order by s.created_at desc`;
  return rows.map((r) => r.id);
}

async function signedInHeader(page: Page) {
  await expect(page.getByTestId("header-tenant")).toBeVisible();
}

test.describe("sessions end when they should", () => {
  test("a copied cookie is signed out after sign-out, 20 times, with prefetches in flight", async ({ browser }) => {
    test.setTimeout(240_000);
    for (let run = 0; run < 20; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, "agent@contoso.example", { fresh: true });
      await signedInHeader(page);
      const cookie = await sessionCookieHeader(context);
      expect((await replay(cookie)).page, "the copy works while signed in").toBe(200);

      // Router prefetches (and a plain navigation fetch) race the sign-out: each passes the proxy,
      // which refreshes the cookie it answers with.
      await page.evaluate(() => {
        for (const path of ["/account/activity-log", "/customers", "/", "/account/sessions"]) {
          void fetch(path, { headers: { rsc: "1", "next-router-prefetch": "1" } }).catch(() => {});
        }
      });
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/signin/);

      const after = await replay(cookie);
      expect(after.page, `run ${run}: the copied cookie's page`).toBe(307);
      expect(after.location, `run ${run}`).toMatch(/^\/signin\?/);
      expect(after.api, `run ${run}: the copied cookie's API call`).toBe(401);
      // And the browser itself, whatever the prefetches set meanwhile.
      await page.goto("/");
      await expect(page, `run ${run}: the browser`).toHaveURL(/\/signin\?/);
      await context.close();
    }
  });

  test("an idle session sends the browser to sign-in, says why, and comes back where the user was", async ({
    page,
  }) => {
    await signIn(page, "billing@contoso.example", { fresh: true });
    await signedInHeader(page);
    const id = required((await userSessionIds("billing@contoso.example"))[0], "a session of billing@contoso.example");
    expect(id).toBeTruthy();
    await sql`update user_sessions set last_seen_at = now() - interval '16 minutes' where id = ${id}`;

    await page.goto("/account/activity-log?status=failed");
    await expect(page).toHaveURL(/\/signin\?.*error=SessionIdle/);
    await expect(page.locator("p[role=alert]")).toContainText("signed out after 15 minutes without activity");

    // The authority still knows the user (its own single sign-on), so one click brings them back.
    await page.getByTestId("sign-in-commercial").click();
    await expect(page).toHaveURL(/\/account\/activity-log\?status=failed$/);
    await signedInHeader(page);
  });

  test("sign-in started at 127.0.0.1 completes there, and the session works at that address", async ({ page }) => {
    const other = baseURL.replace("//localhost:", "//127.0.0.1:");
    const before = await userSessionIds("billing@contoso.example");
    await signIn(page, "billing@contoso.example", { fresh: true, path: `${other}/account/activity-log?status=failed` });
    await expect(page).toHaveURL(`${other}/account/activity-log?status=failed`);
    await signedInHeader(page);
    const cookies = await page.context().cookies(other);
    expect(cookies.some((c) => c.name.includes("authjs.session-token"))).toBe(true);
    const opened = (await userSessionIds("billing@contoso.example")).filter((id) => !before.includes(id));
    expect(opened, "the session the sign-in opened").toHaveLength(1);

    // Signing out there ends that session, and stays at that address.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(new RegExp(`^${other.replace(/\./g, "\\.")}/signin`));
    expect(await userSessionIds("billing@contoso.example")).not.toContain(opened[0]);
  });

  test.describe("in Korean", () => {
    test.use({ locale: "ko-KR" });
    test("a session past its absolute lifetime says so in Korean", async ({ page }) => {
      await signIn(page, "helpdesk@contoso.example", { fresh: true });
      await signedInHeader(page);
      await sql`update user_sessions set created_at = now() - interval '9 hours'
                where id = any(${await userSessionIds("helpdesk@contoso.example")})`;
      await page.goto("/customers");
      await expect(page).toHaveURL(/\/signin\?.*error=SessionExpired/);
      await expect(page.locator("p[role=alert]")).toContainText("최대 사용 시간(8시간)");
    });
  });

  test("an admin sees the tenant's sessions and ends one: its user is out on the next request", async ({ browser }) => {
    const victim = await browser.newContext();
    const victimPage = await victim.newPage();
    await signIn(victimPage, "agent@contoso.example", { fresh: true });
    await signedInHeader(victimPage);
    const [victimSession] = await userSessionIds("agent@contoso.example");

    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, "admin@fabrikam.example", { fresh: true });
    await signedInHeader(otherPage);
    const [fabrikamSession] = await userSessionIds("admin@fabrikam.example", FABRIKAM_ID);

    const admin = await browser.newContext();
    const page = await admin.newPage();
    await signIn(page, "admin@contoso.example", { fresh: true });
    await page.getByRole("button", { name: "Account settings" }).click();
    await page.getByRole("link", { name: "Sessions" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
    const table = page.getByTestId("sessions-table");
    await expect(table).toContainText("agent@contoso.example");
    await expect(table).toContainText("This session");
    // Another tenant's sessions are not there, not even by id.
    await expect(table).not.toContainText("fabrikam");
    expect(await page.content()).not.toContain(fabrikamSession);

    // The victim's own session (the agent may have others, from other tests).
    await page
      .locator("form")
      .filter({ has: page.locator(`input[name=sessionId][value="${victimSession}"]`) })
      .getByRole("button", { name: "End the session of agent@contoso.example" })
      .click();
    await expect(page.getByRole("status")).toContainText("The session was ended");
    expect(await userSessionIds("agent@contoso.example")).not.toContain(victimSession);
    const [record] = await sql<{ user_principal_name: string; session_user: string }[]>`
      select r.user_principal_name, d.customized_data->>'sessionUser' as session_user
      from activity_records r join activity_record_details d on d.tenant_id = r.tenant_id and d.record_id = r.id and d.occurred_at = r.occurred_at
      where r.tenant_id = ${CONTOSO_ID} and r.operation_type = 'end_user_session' order by r.occurred_at desc limit 1`;
    expect(record).toEqual({ user_principal_name: "admin@contoso.example", session_user: "agent@contoso.example" });

    await victimPage.goto("/customers");
    await expect(victimPage).toHaveURL(/\/signin\?.*error=SessionEnded/);
    // Fabrikam's user was not touched.
    await otherPage.goto("/customers");
    await signedInHeader(otherPage);
    await Promise.all([victim.close(), other.close(), admin.close()]);
  });

  test("sign out everywhere ends every session of the user, on every device", async ({ browser }) => {
    const laptop = await browser.newContext();
    const phone = await browser.newContext();
    const laptopPage = await laptop.newPage();
    const phonePage = await phone.newPage();
    await signIn(laptopPage, "agent@contoso.example", { fresh: true });
    await signIn(phonePage, "agent@contoso.example", { fresh: true });
    await signedInHeader(phonePage);

    await laptopPage.goto("/account/sessions");
    await laptopPage.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(laptopPage).toHaveURL(/\/signin\?error=SignedOutEverywhere/);
    await expect(laptopPage.locator("p[role=alert]")).toContainText("signed out on every device");
    expect(await userSessionIds("agent@contoso.example")).toEqual([]);

    await phonePage.goto("/customers");
    await expect(phonePage).toHaveURL(/\/signin\?/);
    await Promise.all([laptop.close(), phone.close()]);
  });
});
