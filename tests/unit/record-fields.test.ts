import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import en from "@/messages/en.json";
import ko from "@/messages/ko.json";
import { asCatalog } from "@/lib/activity-labels";
import {
  errorCodeMessage,
  fieldChanges,
  fieldLabel,
  formatDuration,
  formatFieldValue,
  isKnownOperationType,
  numericDelta,
} from "@/lib/record-fields";

const tEn = asCatalog(createTranslator({ locale: "en", messages: en }));
const tKo = asCatalog(createTranslator({ locale: "ko", messages: ko }));

describe("field labels", () => {
  it("names known fields in both languages", () => {
    expect(fieldLabel(tEn, "offerName")).toBe("Offer");
    expect(fieldLabel(tEn, "autoRenewEnabled")).toBe("Auto-renew");
    expect(fieldLabel(tKo, "offerName")).toBe("제품");
    expect(fieldLabel(tKo, "autoRenewEnabled")).toBe("자동 갱신");
  });
  it("humanises a field no catalog knows, and never reaches an inherited key", () => {
    expect(fieldLabel(tEn, "someNewField")).toBe("Some new field");
    expect(fieldLabel(tKo, "someNewField")).toBe("Some new field");
    expect(fieldLabel(tEn, "constructor")).toBe("Constructor");
    expect(fieldLabel(tEn, "a.b")).toBe("A b");
  });
  it("labels every field in both catalogs", () => {
    expect(Object.keys(ko.recordFields.labels).sort()).toEqual(Object.keys(en.recordFields.labels).sort());
  });
});

describe("durations", () => {
  it("reads ISO 8601 terms as words", () => {
    expect(formatDuration(tEn, "P1M")).toBe("1 month");
    expect(formatDuration(tEn, "P1Y")).toBe("1 year");
    expect(formatDuration(tEn, "P3Y")).toBe("3 years");
    expect(formatDuration(tEn, "P1Y6M")).toBe("1 year 6 months");
    expect(formatDuration(tEn, "P30D")).toBe("30 days");
    expect(formatDuration(tKo, "P1M")).toBe("1개월");
    expect(formatDuration(tKo, "P1Y")).toBe("1년");
    expect(formatDuration(tKo, "P3Y")).toBe("3년");
  });
  it("leaves what is not a duration alone", () => {
    expect(formatDuration(tEn, "P")).toBeNull();
    expect(formatDuration(tEn, "monthly")).toBeNull();
    expect(formatDuration(tEn, "PT1H")).toBeNull();
    expect(formatFieldValue(tEn, "termDuration", "PT1H", "en")).toBe("PT1H");
  });
});

describe("values", () => {
  it("reads enums as the table reads them, yes/no and numbers in the reader's locale", () => {
    expect(formatFieldValue(tEn, "termDuration", "P3Y", "en")).toBe("3 years");
    expect(formatFieldValue(tEn, "billingCycle", "annual", "en")).toBe("Annual");
    expect(formatFieldValue(tKo, "billingCycle", "annual", "ko")).toBe("연간");
    expect(formatFieldValue(tEn, "status", "active", "en")).toBe("Active");
    expect(formatFieldValue(tKo, "status", "suspended", "ko")).toBe("일시 중단됨");
    expect(formatFieldValue(tEn, "status", "somethingElse", "en")).toBe("somethingElse");
    expect(formatFieldValue(tEn, "autoRenewEnabled", true, "en")).toBe("Yes");
    expect(formatFieldValue(tKo, "autoRenewEnabled", false, "ko")).toBe("아니요");
    expect(formatFieldValue(tEn, "quantity", 12345, "en")).toBe("12,345");
    expect(formatFieldValue(tEn, "x", null, "en")).toBe("—");
    expect(formatFieldValue(tEn, "assignedLicenses", ["E3", "E5"], "en")).toBe("E3, E5");
  });
  it("writes an object as labelled pairs, not JSON", () => {
    expect(formatFieldValue(tEn, "defaultAddress", { city: "Redmond", country: "US" }, "en")).toBe(
      "City: Redmond; Country: US",
    );
    expect(formatFieldValue(tKo, "defaultAddress", { city: "Redmond" }, "ko")).toBe("도시: Redmond");
  });
});

describe("deltas", () => {
  it("gives new minus old with its sign", () => {
    expect(numericDelta(196, 188, "en")).toBe("\u22128");
    expect(numericDelta(188, 196, "en")).toBe("+8");
    expect(numericDelta(1000, 3500, "en")).toBe("+2,500");
    expect(numericDelta(196, 188, "ko")).toBe("\u22128");
  });
  it("has none for equal values or anything that is not two numbers", () => {
    expect(numericDelta(5, 5, "en")).toBeNull();
    expect(numericDelta("5", 6, "en")).toBeNull();
    expect(numericDelta(null, 6, "en")).toBeNull();
    expect(numericDelta(1, Number.NaN, "en")).toBeNull();
  });
  it("marks the fields that changed, and only those", () => {
    const changes = fieldChanges(
      { quantity: 196, status: "active", address: { a: 1, b: 2 } },
      { quantity: 188, status: "active", address: { b: 2, a: 1 }, autoRenewEnabled: true },
    );
    expect(changes.filter((c) => c.changed).map((c) => c.field)).toEqual(["quantity", "autoRenewEnabled"]);
    expect(fieldChanges(null, { a: 1 })).toEqual([{ field: "a", before: undefined, after: 1, changed: false }]);
  });
});

describe("error messages", () => {
  it("gives a known code its own sentence in both languages", () => {
    expect(errorCodeMessage(tEn, "DomainAlreadyExists", "The operation could not be completed.")).toBe(
      "Another customer already uses this domain. Choose a different domain.",
    );
    expect(errorCodeMessage(tKo, "DomainAlreadyExists", "The operation could not be completed.")).toBe(
      "다른 고객이 이미 이 도메인을 사용하고 있습니다. 다른 도메인을 선택하세요.",
    );
  });
  it("falls back to the producer's text for an unknown code, and says when there is none", () => {
    expect(errorCodeMessage(tEn, "FancyNewError", "The widget broke.")).toBe("The widget broke.");
    expect(errorCodeMessage(tKo, "FancyNewError", "The widget broke.")).toBe("The widget broke.");
    expect(errorCodeMessage(tEn, "FancyNewError", undefined)).toBe("No message was recorded with this error.");
    expect(errorCodeMessage(tKo, "FancyNewError", "  ")).toBe("이 오류에는 기록된 메시지가 없습니다.");
    expect(errorCodeMessage(tEn, "constructor", "Producer text")).toBe("Producer text");
  });
  it("knows which operation types are known", () => {
    expect(isKnownOperationType(tEn, "create_order")).toBe(true);
    expect(isKnownOperationType(tKo, "create_order")).toBe(true);
    expect(isKnownOperationType(tEn, "frobnicate_widget")).toBe(false);
  });
});
