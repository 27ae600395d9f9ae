import { getLocale, getTranslations } from "next-intl/server";
import { setLocaleAction } from "@/i18n/actions";
import { LOCALES } from "@/i18n/config";

/**
 * English / 한국어 in the header: a plain form posting to a server action that remembers the
 * choice in the NEXT_LOCALE cookie; the page then renders again at the same URL. Each language's
 * name is written in that language (and marked with `lang`), so anyone can find their own.
 */
export async function LocaleSwitcher() {
  const [locale, t] = await Promise.all([getLocale(), getTranslations("localeSwitcher")]);
  return (
    <form action={setLocaleAction} data-testid="locale-switcher">
      <div role="group" aria-label={t("label")} className="flex items-center rounded border border-white/30 text-xs">
        {LOCALES.map((l) => (
          <button
            key={l}
            type="submit"
            name="locale"
            value={l}
            lang={l}
            aria-pressed={l === locale}
            className={`px-2 py-1 first:rounded-l last:rounded-r focus-visible:outline focus-visible:outline-2 focus-visible:outline-white ${
              l === locale ? "bg-white font-semibold text-brand-dark" : "hover:bg-white/10"
            }`}
          >
            {t(`names.${l}`)}
          </button>
        ))}
      </div>
    </form>
  );
}
