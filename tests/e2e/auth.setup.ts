import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { SAVED_ACCOUNTS, signIn, SOVEREIGN_URL, storageStatePath } from "./support";

/*
 * Signs in each account the specs reuse once, through the real flow, and saves its browser state:
 * `signIn` starts from these sessions instead of filling in the authority's form in every test.
 */
for (const { email, cloud, server } of SAVED_ACCOUNTS) {
  setup(`sign in ${email} (${cloud}) on the ${server} server`, async ({ page, baseURL }) => {
    const origin = server === "sovereign" ? SOVEREIGN_URL : new URL(baseURL!).origin;
    await signIn(page, email, { cloud, path: `${origin}/`, fresh: true });
    await expect(page, `${email} is signed in`).not.toHaveURL(/\/signin/);
    const file = storageStatePath(origin, cloud, email);
    mkdirSync(path.dirname(file), { recursive: true });
    await page.context().storageState({ path: file });
  });
}
