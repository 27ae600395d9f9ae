import { createTranslator } from "next-intl";
import { describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import ko from "@/messages/ko.json";
import { addCustomer, purchaseSubscription } from "@/db/mutations/customers";
import type { TenantContext } from "@/lib/domain";
import { AppError } from "@/lib/errors";
import { toFormState } from "@/lib/form-state";
import { DESTINATION_ISSUES, parseDestinationInput } from "@/lib/streaming/destination";
import { fieldIssuesOf } from "@/lib/validation";

/*
 * Validation problems carry a code and values, so forms word them in the reader's language without
 * comparing English sentences; the API keeps its English sentence.
 */

const ctx: TenantContext = {
  tenantId: "0a000000-0000-4000-8000-00000000000a",
  cloud: "commercial",
  userId: "0b000000-0000-4000-8000-00000000000b",
  userPrincipalName: "admin@contoso.example",
  role: "global_admin",
};

async function issuesOf(run: () => unknown) {
  try {
    await run();
  } catch (error) {
    return fieldIssuesOf(error);
  }
  throw new Error("expected a validation error");
}

describe("customer validation", () => {
  it("names every field with its code, its values and the API's sentence", async () => {
    expect(await issuesOf(() => addCustomer({ ctx, companyName: " ", domain: "not a domain" }))).toEqual([
      { field: "companyName", code: "company_name_required", message: "Enter the company name." },
      { field: "domain", code: "domain_invalid", message: "Enter a domain name such as contoso.example." },
    ]);
    const [quantity] = await issuesOf(() =>
      purchaseSubscription({
        ctx,
        customerId: ctx.tenantId,
        offerName: "Office",
        quantity: "100001",
        billingCycle: "monthly",
      }),
    );
    expect(quantity).toEqual({
      field: "quantity",
      code: "quantity_too_large",
      message: "The quantity can be at most 100,000.",
      values: { max: 100_000 },
    });
  });

  it("puts the code into the reader's words on the form", async () => {
    const t = createTranslator({ locale: "ko", messages: ko, namespace: "forms.validation" });
    let thrown: unknown;
    try {
      await addCustomer({ ctx, companyName: "x".repeat(201), domain: "contoso.example" });
    } catch (error) {
      thrown = error;
    }
    const state = toFormState(thrown, (p) =>
      p.kind === "field" ? t(p.code as "company_name_too_long", p.values) : "?",
    );
    expect(state.fieldErrors).toEqual({ companyName: t("company_name_too_long", { max: 200 }) });
    expect(state.message).toBe(state.fieldErrors!.companyName);
    expect(state.message).toMatch(/200/);
  });
});

describe("destination validation", () => {
  const webhook = { name: "SIEM", kind: "webhook", url: "https://siem.example/in" };
  const cases: Array<[unknown, string, keyof typeof DESTINATION_ISSUES]> = [
    [{ ...webhook, name: "" }, "name", "name_required"],
    [{ ...webhook, name: "n".repeat(101) }, "name", "name_too_long"],
    [{ ...webhook, kind: "email" }, "kind", "kind_invalid"],
    [{ ...webhook, format: "xml" }, "format", "format_invalid"],
    [{ name: "SIEM", kind: "webhook" }, "url", "url_required_webhook"],
    [{ name: "SIEM", kind: "splunk_hec", secret: "t" }, "url", "url_required_hec"],
    [{ ...webhook, url: "ftp://siem.example" }, "url", "url_invalid"],
    [{ ...webhook, url: "https://u:p@siem.example" }, "url", "url_credentials"],
    [{ name: "S", kind: "syslog", port: 514 }, "host", "host_required"],
    [{ name: "S", kind: "syslog", host: "bad host", port: 514 }, "host", "host_invalid"],
    [{ name: "S", kind: "syslog", host: "siem.example" }, "port", "port_required"],
    [{ name: "S", kind: "syslog", host: "siem.example", port: 70000 }, "port", "port_invalid"],
    [{ ...webhook, batchSize: 0 }, "batchSize", "batch_size_invalid"],
    [{ ...webhook, statuses: ["done"] }, "statuses.0", "statuses_invalid"],
    [{ ...webhook, customerIds: ["x"] }, "customerIds.0", "customer_ids_invalid"],
    [{ ...webhook, secret: "plain" }, "secret", "secret_webhook_format"],
    [{ name: "SIEM", kind: "splunk_hec", url: "https://hec.example" }, "secret", "secret_required_hec"],
    ["not an object", "body", "body_invalid"],
  ];

  it.each(cases)("%j: %s is %s", async (body, field, code) => {
    const [only, ...rest] = await issuesOf(() => parseDestinationInput(body, { isNew: true }));
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ field, code, message: DESTINATION_ISSUES[code].message });
  });

  it("has words for every code in both languages, and the API's sentence names the field", () => {
    for (const messages of [en, ko]) {
      const t = createTranslator({ locale: "en", messages, namespace: "logStreaming.add.validation" });
      for (const [code, { message, ...rest }] of Object.entries(DESTINATION_ISSUES)) {
        const values = "values" in rest ? rest.values : undefined;
        expect(t(code as keyof typeof DESTINATION_ISSUES, values), code).not.toMatch(/logStreaming|\{/);
        if (code !== "body_invalid")
          expect(message, code).toMatch(
            /^(?:name|kind|format|url|host|port|tls|tlsCa|batchSize|operationTypes|statuses|customerIds|enabled|secret) /,
          );
      }
    }
  });
});

describe("toFormState", () => {
  it("says a lost database is unavailable, not a bug, and words other errors by their code", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const lost = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      const seen: string[] = [];
      const state = toFormState(lost, (p) => (seen.push(p.kind === "error" ? p.code : p.code), "words"));
      expect(seen).toEqual(["unavailable"]);
      expect(state).toEqual({ ok: false, message: "words", fieldErrors: {} });
      toFormState(
        new AppError("not_found", "No such customer."),
        (p) => (seen.push(p.kind === "error" ? p.code : "field"), ""),
      );
      toFormState(new TypeError("bug"), (p) => (seen.push(p.kind === "error" ? p.code : "field"), ""));
      expect(seen).toEqual(["unavailable", "not_found", "internal"]);
    } finally {
      error.mockRestore();
    }
  });
});
