/*
 * The interface's languages. The locale never appears in URLs (pages and export links are the same
 * in every language): it comes from the user's choice (the NEXT_LOCALE cookie the header's switcher
 * sets), else the browser's Accept-Language, else English.
 */
export const LOCALES = ["en", "ko"] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = "en";
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** A year: the choice is a preference, not a session. */
export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

export const isLocale = (value: unknown): value is AppLocale => LOCALES.includes(value as AppLocale);
