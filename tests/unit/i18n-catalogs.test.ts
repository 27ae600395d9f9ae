import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import en from "@/messages/en.json";
import ko from "@/messages/ko.json";
import { BILLING_CYCLES, VALIDATION_ISSUES, type ValidationIssueCode } from "@/db/mutations/customers";
import { LOCALES } from "@/i18n/config";
import {
  ACTION_LABELS,
  asCatalog,
  KNOWN_BILLING_CYCLES,
  KNOWN_OPERATION_TYPES,
  KNOWN_RESOURCE_TYPES,
  KNOWN_SUBSCRIPTION_STATUSES,
  RESOURCE_LABELS,
  STATUS_LABELS,
  translatedActionLabel,
  translatedStatusLabel,
} from "@/lib/activity-labels";
import { PARAM_ERROR_CODES, PARAM_NAMES, parseActivityLogParams, type ParamError } from "@/lib/activity-log-params";
import { SIGN_IN_ERRORS } from "@/lib/auth/sign-in-errors";
import { CLOUDS, OPERATION_STATUSES } from "@/lib/domain";
import { required } from "../support/present";

/*
 * The catalogs are complete when each has every key of the other, every value is a non-empty
 * message that parses, both sides of a key use the same arguments and tags, and every code the
 * code can produce (operation types, statuses, param errors, sign-in errors, validation issues)
 * has its sentence in both.
 */

type Catalog = { [key: string]: string | Catalog };
const catalogs = { en: en as Catalog, ko: ko as Catalog };

function flatten(catalog: Catalog, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const flat = { en: flatten(catalogs.en), ko: flatten(catalogs.ko) };

/** ICU argument names ({name}, {name, plural, ...}) and rich-text tags (<strong>) of a message. */
function placeholders(message: string): { args: string[]; tags: string[] } {
  const args = new Set(
    [...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)].map((m) => required(m[1], "an argument name")),
  );
  const tags = new Set([...message.matchAll(/<\/?([A-Za-z]\w*)>/g)].map((m) => required(m[1], "a tag name")));
  return { args: [...args].sort(), tags: [...tags].sort() };
}

describe("message catalogs", () => {
  it("have the same keys, both ways", () => {
    const missingInKo = [...flat.en.keys()].filter((k) => !flat.ko.has(k));
    const missingInEn = [...flat.ko.keys()].filter((k) => !flat.en.has(k));
    expect(missingInKo, "keys in en.json missing from ko.json").toEqual([]);
    expect(missingInEn, "keys in ko.json missing from en.json").toEqual([]);
  });

  it("have the same shape (no key is a message in one and a group in the other)", () => {
    const groups = (catalog: Catalog, prefix = ""): string[] =>
      Object.entries(catalog).flatMap(([k, v]) =>
        typeof v === "string" ? [] : [`${prefix}${k}`, ...groups(v, `${prefix}${k}.`)],
      );
    expect(groups(catalogs.ko)).toEqual(groups(catalogs.en));
  });

  it("hold only non-empty strings", () => {
    for (const [locale, map] of Object.entries(flat)) {
      for (const [key, value] of map) expect(value.trim(), `${locale}: ${key}`).not.toBe("");
    }
  });

  it("use the same arguments and tags for a key in every language", () => {
    for (const [key, message] of flat.en) {
      expect(placeholders(flat.ko.get(key) ?? ""), key).toEqual(placeholders(message));
    }
  });

  it("hold messages that format without errors", () => {
    for (const locale of LOCALES) {
      const errors: string[] = [];
      const t = createTranslator({
        locale,
        messages: catalogs[locale],
        timeZone: "UTC",
        onError: (e) => errors.push(`${e.code}: ${e.message}`),
      });
      for (const [key, message] of flat[locale]) {
        const { args, tags } = placeholders(message);
        const values = Object.fromEntries([...args.map((a) => [a, 2]), ...tags.map((tag) => [tag, (c: string) => c])]);
        expect(typeof t.markup(key as never, values as never), `${locale}: ${key}`).toBe("string");
      }
      expect(errors, locale).toEqual([]);
    }
  });

  it("are Korean in ko.json: every sentence-like message holds Hangul", () => {
    // Messages that are the same in every language on purpose: names and formats.
    const sameEverywhere = new Set([
      "localeSwitcher.names.en",
      "localeSwitcher.names.ko",
      "activityLog.filters.userOption",
      "activityLog.details.resourceTypeValue",
      "activityLog.details.dateTimeValue",
      "customers.add.domainPlaceholder",
      "activityLog.filters.timePlaceholder",
      "logStreaming.replayTimePlaceholder",
      "fallbacks.action",
      "fallbacks.resource",
    ]);
    const notKorean = [...flat.ko]
      .filter(([key, value]) => !sameEverywhere.has(key) && !/[\uac00-\ud7a3]/.test(value))
      .map(([key]) => key);
    expect(notKorean).toEqual([]);
  });

  it("use the product's established Korean terms", () => {
    expect(ko.accountMenu.title).toBe("계정 설정");
    expect(ko.accountMenu.activityLog).toBe("활동 로그");
    expect(ko.activityLog.title).toBe("활동 로그");
    expect(ko.activityLog.filters.from).toBe("시작일");
    expect(ko.activityLog.filters.to).toBe("종료일");
    expect(ko.activityLog.results.export).toBe("로그 내보내기");
    expect(ko.activityLog.table.customer).toBe("영향을 받은 고객");
    expect(ko.activityLog.table.action).toBe("작업");
    expect(ko.activityLog.table.partnerUser).toBe("파트너 사용자");
    expect(ko.activityLog.table.dateTime).toBe("날짜-시간 ({zone})");
    expect(ko.activityLog.table.status).toBe("상태");
    expect(ko.subscriptions.title).toBe("구독");
    expect(ko.signIn.title).toBe("로그인");
    expect(ko.header.signOut).toBe("로그아웃");
  });
});

describe("every code the app shows has a sentence in every catalog", () => {
  const need = (group: string, codes: readonly string[]) => {
    for (const locale of LOCALES) {
      const missing = codes.filter((code) => !flat[locale].has(`${group}.${code}`));
      expect(missing, `${locale}: ${group}`).toEqual([]);
    }
  };

  it("every known operation type, status and resource type", () => {
    need("actions", KNOWN_OPERATION_TYPES);
    need("statuses", OPERATION_STATUSES);
    need("resources", KNOWN_RESOURCE_TYPES);
    need("subscriptionStatuses", KNOWN_SUBSCRIPTION_STATUSES);
    need("billingCycles", KNOWN_BILLING_CYCLES);
    expect([...KNOWN_BILLING_CYCLES]).toEqual([...BILLING_CYCLES]);
    // Nothing in the catalogs that the code does not know either (a typo would hide a label).
    expect(Object.keys(en.actions).sort()).toEqual([...KNOWN_OPERATION_TYPES].sort());
    expect(Object.keys(en.resources).sort()).toEqual([...KNOWN_RESOURCE_TYPES].sort());
  });

  it("the English screen labels are the CSV's English labels, word for word", () => {
    expect(en.actions).toEqual(ACTION_LABELS);
    expect(en.statuses).toEqual(STATUS_LABELS);
    expect(en.resources).toEqual(RESOURCE_LABELS);
  });

  it("clouds, locales, sign-in errors, param errors and validation issues", () => {
    need("clouds", CLOUDS);
    need("localeSwitcher.names", LOCALES);
    need("signIn.errors", SIGN_IN_ERRORS);
    need("activityLog.paramErrors.codes", PARAM_ERROR_CODES);
    need("activityLog.paramErrors.params", PARAM_NAMES);
    need("activityLog.filters.presets", ["today", "last-24-hours", "last-7-days", "last-30-days", "last-90-days"]);
    need("forms.validation", Object.keys(VALIDATION_ISSUES));
    need("logIntegrity.statuses", ["ok", "seal_altered", "chain_broken", "rows_missing", "rows_added", "rows_changed"]);
  });

  it("the English validation sentences are the ones the API returns", () => {
    const t = createTranslator({ locale: "en", messages: en, namespace: "forms.validation" });
    for (const [code, issue] of Object.entries(VALIDATION_ISSUES)) {
      const values = "values" in issue ? issue.values : undefined;
      expect(t(code as ValidationIssueCode, values), code).toBe(issue.message);
    }
  });

  it("the English param errors are the ones the export API returns", () => {
    const t = createTranslator({ locale: "en", messages: en, namespace: "activityLog.paramErrors" });
    const describe = (e: ParamError) =>
      t(`codes.${e.code}`, {
        label: t(`params.${e.param}`),
        fromLabel: t("params.from"),
        toLabel: t("params.to"),
        choices: "[choices]",
        // The page's example day is the view's To; the API's sentence names a fixed one.
        example: "Nov 4, 2026",
        iso: "2026-11-04",
        ...e.values,
      });
    const now = new Date("2026-03-31T10:00:00Z");
    const inputs = [
      new URLSearchParams("from=2026-03-10&to=2026-03-09"),
      new URLSearchParams("from=2026-02-30"),
      new URLSearchParams("from=03/01/2026"),
      new URLSearchParams("from=0099-01-01&to=0099-01-02"),
      new URLSearchParams("from=2025-01-01&to=2026-01-03"),
      new URLSearchParams("to=2026-04-02"),
      new URLSearchParams("cursor=not-a-cursor&tz=Mars/Olympus_Mons&dir=sideways&action=Create%20Order"),
      new URLSearchParams(`customer=${"x".repeat(201)}&user=a%00b&status=a&status=b`),
      new URLSearchParams("size=30&status=done&access=on&fromTime=25:00&record=abc"),
      new URLSearchParams(
        `size=25&size=50&actionMode=only&${Array.from({ length: 51 }, (_, i) => `action=a${i}`).join("&")}`,
      ),
      new URLSearchParams("from=2026-03-01&to=2026-03-10&at=2026-03-11"),
      new URLSearchParams("dir=oldest&at=2026-03-11"),
      new URLSearchParams(`correlation=not-a-uuid&q=${"x".repeat(201)}`),
    ];
    const seen = new Set<string>();
    for (const input of inputs) {
      const result = parseActivityLogParams(input, { now });
      expect(result.ok, input.toString()).toBe(false);
      if (result.ok) continue;
      for (const error of result.errors) {
        seen.add(error.code);
        // The lists ("25, 50 or 100") are written by Intl.ListFormat on the page.
        if (error.code === "unknown_status" || error.code === "unknown_page_size") {
          expect(describe(error)).toBe(
            `${t(`params.${error.param}`)} must ${error.code === "unknown_status" ? "be one of" : "be"} [choices].`,
          );
        } else {
          expect(describe(error), error.code).toBe(error.message);
        }
      }
    }
    expect([...seen].sort()).toEqual([...PARAM_ERROR_CODES].sort());
  });

  it("labels unknown operation types readably in both languages", () => {
    for (const locale of LOCALES) {
      const t = asCatalog(createTranslator({ locale, messages: catalogs[locale] }));
      expect(translatedActionLabel(t, "transfer_subscriptions")).toBe("Transfer subscriptions");
      // A value holding a path separator cannot reach another key.
      expect(translatedActionLabel(t, "actions.create_order")).toBe("Actions create order");
      // Nor can one that names what every object inherits.
      expect(translatedActionLabel(t, "constructor")).toBe("Constructor");
      expect(translatedActionLabel(t, "__proto__")).toBe("Proto");
      expect(translatedActionLabel(t, "hasOwnProperty")).toBe("Has own property");
      expect(translatedStatusLabel(t, "progress")).toBe(locale === "en" ? "In progress" : "진행 중");
    }
    expect(translatedActionLabel(asCatalog(createTranslator({ locale: "ko", messages: ko })), "create_order")).toBe(
      "주문 생성",
    );
  });
});
