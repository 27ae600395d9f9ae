import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE } from "./config";
import { resolveLocale } from "./negotiate";

/*
 * next-intl without i18n routing: the locale is read per request from the cookie or the
 * Accept-Language header, never from the path.
 */
export default getRequestConfig(async () => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale({
    cookie: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get("accept-language"),
  });
  return {
    locale,
    messages: (await import(`../messages/${locale}.json`)).default,
    // A default for next-intl's own formatters; every time the app shows names its zone (the page's
    // `tz` param), so this is never the zone a user reads a time in without being told.
    timeZone: "UTC",
  };
});
