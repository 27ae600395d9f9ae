import { DEFAULT_LOCALE, isLocale, LOCALES, type AppLocale } from "./config";
import { beforeFirst } from "@/lib/before-first";

interface Range {
  tag: string;
  q: number;
  order: number;
}

/** Accept-Language ranges, best first (RFC 9110 §12.5.4); malformed parts are skipped, q=0 dropped. */
function parseAcceptLanguage(header: string): Range[] {
  const ranges: Range[] = [];
  header.split(",").forEach((part, order) => {
    const range = part.trim();
    const tag = beforeFirst(range, ";").trim().toLowerCase();
    const params = range.split(";").slice(1);
    if (!/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/.test(tag)) return;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.exec(param);
      if (match) q = Math.min(1, Number(match[1]));
    }
    if (q > 0) ranges.push({ tag, q, order });
  });
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order);
}

/**
 * The supported locale the browser prefers most: "ko-KR,ko;q=0.9,en-US;q=0.8" -> "ko",
 * "fr-CH, fr;q=0.9, en;q=0.8" -> "en". A range matches a locale by its primary language
 * (ko-KR, ko-Kore-KR -> ko). Nothing usable -> English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): AppLocale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  for (const { tag } of parseAcceptLanguage(acceptLanguage.slice(0, 1000))) {
    if (tag === "*") return DEFAULT_LOCALE;
    const primary = tag.split("-")[0];
    const match = LOCALES.find((l) => l === primary);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}

/** The cookie (the user's own choice) wins when it names a supported locale; then the browser. */
export function resolveLocale({
  cookie,
  acceptLanguage,
}: {
  cookie?: string | null;
  acceptLanguage?: string | null;
}): AppLocale {
  return isLocale(cookie) ? cookie : negotiateLocale(acceptLanguage);
}
