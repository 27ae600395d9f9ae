import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { invalidInput, zodIssues, type IssueCatalog } from "@/lib/validation";
import { isUuid } from "@/lib/uuid";
import type { Database } from "../client";
import { customers, subscriptions, type Customer, type Subscription } from "../schema";
import { singleRow } from "../single-row";
import { withTenant } from "../with-tenant";
import { writeActivity, type WrittenActivity } from "./activity";
import type { TenantContext } from "@/lib/domain";

/*
 * The portal's own actions on the customer pages. Each writes its business row and its activity
 * record in ONE transaction (withTenant, as the request role): the log can never claim an action
 * that did not happen, nor miss one that did. Input is validated here, not only in the form, and
 * a problem is a 400 AppError whose details list every field with a sentence the form can show.
 */

export const BILLING_CYCLES = ["monthly", "annual"] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];
export const MAX_SUBSCRIPTION_QUANTITY = 100_000;
const MAX_NAME_LENGTH = 200;

const NO_CONTROL = /^[^\p{Cc}]*$/u;
// Hostnames as DNS holds them (IDNs in their xn-- form): labels of letters, digits and hyphens.
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * Every validation problem, by code: the English sentence the error carries (and the API returns),
 * and the values the sentence names. Forms show the code's sentence from the message catalogs, in
 * the reader's language (app/customers/actions.ts). The schemas' messages are these codes.
 */
export const VALIDATION_ISSUES = {
  company_name_required: { message: "Enter the company name." },
  company_name_too_long: {
    message: `The company name can be at most ${MAX_NAME_LENGTH} characters long.`,
    values: { max: MAX_NAME_LENGTH },
  },
  company_name_control: { message: "The company name cannot contain control characters." },
  company_name_invalid: { message: "The company name contains an invalid character." },
  domain_required: { message: "Enter the domain." },
  domain_invalid: { message: "Enter a domain name such as contoso.example." },
  offer_required: { message: "Choose an offer." },
  offer_too_long: {
    message: `The offer name can be at most ${MAX_NAME_LENGTH} characters long.`,
    values: { max: MAX_NAME_LENGTH },
  },
  offer_control: { message: "The offer name cannot contain control characters." },
  offer_invalid: { message: "The offer name contains an invalid character." },
  quantity_whole: { message: "Enter the quantity as a whole number." },
  quantity_too_small: { message: "The quantity must be at least 1.", values: { min: 1 } },
  quantity_too_large: {
    message: `The quantity can be at most ${MAX_SUBSCRIPTION_QUANTITY.toLocaleString("en-US")}.`,
    values: { max: MAX_SUBSCRIPTION_QUANTITY },
  },
  billing_cycle_invalid: { message: "Choose monthly or annual billing." },
  invalid: { message: "The input is invalid." },
} as const satisfies IssueCatalog<string>;

export type ValidationIssueCode = keyof typeof VALIDATION_ISSUES;
const say = (code: ValidationIssueCode): string => code;

const addCustomerInput = z.object({
  companyName: z
    .string({ error: say("company_name_required") })
    .trim()
    .min(1, say("company_name_required"))
    .max(MAX_NAME_LENGTH, say("company_name_too_long"))
    .regex(NO_CONTROL, say("company_name_control"))
    .refine((v) => v.isWellFormed(), say("company_name_invalid")),
  domain: z
    .string({ error: say("domain_required") })
    .trim()
    .toLowerCase()
    .min(1, say("domain_required"))
    .regex(DOMAIN, say("domain_invalid")),
});

const purchaseInput = z.object({
  offerName: z
    .string({ error: say("offer_required") })
    .trim()
    .min(1, say("offer_required"))
    .max(MAX_NAME_LENGTH, say("offer_too_long"))
    .regex(NO_CONTROL, say("offer_control"))
    .refine((v) => v.isWellFormed(), say("offer_invalid")),
  // Forms send strings; "12" and 12 mean the same, "" and "1.5" do not mean a quantity.
  quantity: z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: say("quantity_whole") })
      .int(say("quantity_whole"))
      .min(1, say("quantity_too_small"))
      .max(MAX_SUBSCRIPTION_QUANTITY, say("quantity_too_large")),
  ),
  billingCycle: z.enum(BILLING_CYCLES, { error: say("billing_cycle_invalid") }),
});

function validated<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // Every custom message is a code; zod's own (none expected) would read as the field's "invalid".
  throw invalidInput(zodIssues(result.error, VALIDATION_ISSUES, "invalid"));
}

export interface AddCustomerResult {
  customer: Customer;
  record: WrittenActivity;
}

/** "Add customer": the customer and its `add_customer` record, together or not at all. */
export async function addCustomer({
  ctx,
  companyName,
  domain,
  db,
}: {
  ctx: TenantContext;
  companyName: unknown;
  domain: unknown;
  db?: Database;
}): Promise<AddCustomerResult> {
  const input = validated(addCustomerInput, { companyName, domain });
  return withTenant(
    ctx,
    async (tx) => {
      const customer = singleRow(
        await tx
          .insert(customers)
          .values({ id: randomUUID(), tenantId: ctx.tenantId, companyName: input.companyName, domain: input.domain })
          .returning(),
        "Inserting a customer",
      );
      const record = await writeActivity(tx, ctx, {
        operationType: "add_customer",
        resourceType: "customer",
        customerId: customer.id,
        customerName: customer.companyName,
        resourceNewValue: { customerId: customer.id, companyName: customer.companyName, domain: customer.domain },
      });
      return { customer, record };
    },
    db,
  );
}

export interface PurchaseSubscriptionResult {
  subscription: Subscription;
  record: WrittenActivity;
}

/**
 * "Purchase subscription" for one of the tenant's customers: the subscription and its
 * `purchase_subscription` record in one transaction. A malformed id, or another tenant's customer
 * (invisible under row-level security and filtered in SQL as well), is not_found.
 */
export async function purchaseSubscription({
  ctx,
  customerId,
  offerName,
  quantity,
  billingCycle,
  db,
}: {
  ctx: TenantContext;
  customerId: string;
  offerName: unknown;
  quantity: unknown;
  billingCycle: unknown;
  db?: Database;
}): Promise<PurchaseSubscriptionResult> {
  if (!isUuid(customerId)) throw new AppError("not_found", "No such customer.");
  const input = validated(purchaseInput, { offerName, quantity, billingCycle });
  return withTenant(
    ctx,
    async (tx) => {
      const [customer] = await tx
        .select({ id: customers.id, companyName: customers.companyName })
        .from(customers)
        .where(and(eq(customers.tenantId, ctx.tenantId), eq(customers.id, customerId)))
        .limit(1);
      if (!customer) throw new AppError("not_found", "No such customer.");
      const subscription = singleRow(
        await tx
          .insert(subscriptions)
          .values({
            id: randomUUID(),
            customerId: customer.id,
            tenantId: ctx.tenantId,
            offerName: input.offerName,
            quantity: input.quantity,
            status: "active",
            billingCycle: input.billingCycle,
          })
          .returning(),
        "Inserting a subscription",
      );
      const record = await writeActivity(tx, ctx, {
        operationType: "purchase_subscription",
        resourceType: "subscription",
        customerId: customer.id,
        customerName: customer.companyName,
        resourceNewValue: {
          subscriptionId: subscription.id,
          offerName: subscription.offerName,
          quantity: subscription.quantity,
          billingCycle: subscription.billingCycle,
          status: subscription.status,
        },
      });
      return { subscription, record };
    },
    db,
  );
}
