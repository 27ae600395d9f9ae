import { chromium } from "@playwright/test";
const base = "http://localhost:3780";
const [,, width = "1350", locale = "en", ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: Number(width), height: 900 } });
if (locale === "ko") await ctx.addCookies([{ name: "NEXT_LOCALE", value: "ko", url: base }]);
const page = await ctx.newPage();
await page.goto(base + "/");
await page.getByTestId("sign-in-commercial").click();
await page.getByLabel("Email").fill("admin@contoso.example");
await page.getByLabel("Password").fill("demo-password");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((u) => !u.pathname.includes("signin"));
for (const p of paths) {
  const [path, action] = p.split("#");
  await page.goto(base + path);
  await page.waitForLoadState("networkidle");
  if (action) { await page.getByTestId(`${action}-list`).locator("summary").click(); }
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const name = `/tmp/filters/shot-${width}-${locale}-${path.replace(/[^a-z0-9]+/gi, "_").slice(0,60)}${action ? "-" + action : ""}.png`;
  await page.screenshot({ path: name, clip: { x: 0, y: 0, width: Number(width), height: 900 } });
  console.log(name, "scrollWidth", w);
}
await browser.close();
