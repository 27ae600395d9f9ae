import { describe, expect, it } from "vitest";
import { isLocale, LOCALE_COOKIE } from "@/i18n/config";
import { negotiateLocale, resolveLocale } from "@/i18n/negotiate";

describe("locale negotiation", () => {
  it("picks the browser's most preferred supported language", () => {
    expect(negotiateLocale("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7")).toBe("ko");
    expect(negotiateLocale("en-US,en;q=0.9,ko;q=0.8")).toBe("en");
    expect(negotiateLocale("fr-CH, fr;q=0.9, ko;q=0.8, en;q=0.7")).toBe("ko");
    expect(negotiateLocale("en;q=0.5, ko;q=0.6")).toBe("ko");
    expect(negotiateLocale("ko-Kore-KR")).toBe("ko");
    expect(negotiateLocale("KO")).toBe("ko");
  });

  it("falls back to English", () => {
    expect(negotiateLocale(null)).toBe("en");
    expect(negotiateLocale("")).toBe("en");
    expect(negotiateLocale("fr-FR,de;q=0.8")).toBe("en");
    expect(negotiateLocale("*")).toBe("en");
    expect(negotiateLocale("ko;q=0, fr")).toBe("en");
    expect(negotiateLocale(";;;,,,=q")).toBe("en");
    expect(negotiateLocale("kok-IN")).toBe("en");
  });

  it("lets the user's own choice (the cookie) win, when it is a supported locale", () => {
    expect(LOCALE_COOKIE).toBe("NEXT_LOCALE");
    expect(resolveLocale({ cookie: "en", acceptLanguage: "ko-KR" })).toBe("en");
    expect(resolveLocale({ cookie: "ko", acceptLanguage: "en-US" })).toBe("ko");
    expect(resolveLocale({ cookie: "fr", acceptLanguage: "ko-KR" })).toBe("ko");
    expect(resolveLocale({ cookie: "ko-KR", acceptLanguage: null })).toBe("en");
    expect(resolveLocale({})).toBe("en");
    expect(isLocale("ko")).toBe(true);
    expect(isLocale("KO")).toBe(false);
  });
});
