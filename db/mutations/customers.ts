import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/uuid";
import type { Database } from "../client";
import { customers, subscriptions, type Customer, type Subscription } from "../schema";
import { withTenant, type TenantContext } from "../with-tenant";
import { writeActivity, type WrittenActivity } from "./activity";

/*
 * The portal's own actions on the customer pages. Each writes its business row and its activity
 * record in ONE transaction (withTenant, as the request role): the log can never claim an action
 * that did not happen, nor miss one that did. Input is validated here, not only in the form, and
 * a problem is a 400 AppError whose details list every field with a sentence the form can show.
 */

export const BILLING_CYCLES = ["monthly", "annual"] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];
export const MAX_SUBSCRIPTION_QUANTITY = 100_000;

const NO_CONTROL = /^[^\p{Cc}]*$/u;
// Hostnames as DNS holds them (IDNs in their xn-- form): labels of letters, digits and hyphens.
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

const addCustomerInput = z.object({
  companyName: z
    .string({ error: "Enter the company name." })
    .trim()
    .min(1, "Enter the company name.")
    .max(200, "The company name can be at most 200 characters long.")
    .regex(NO_CONTROL, "The company name cannot contain control characters.")
    .refine((v) => v.isWellFormed(), "The company name contains an invalid character."),
  domain: z
    .string({ error: "Enter the domain." })
    .trim()
    .toLowerCase()
    .min(1, "Enter the domain.")
    .regex(DOMAIN, "Enter a domain name such as contoso.example."),
});

const purchaseInput = z.object({
  offerName: z
    .string({ error: "Choose an offer." })
    .trim()
    .min(1, "Choose an offer.")
    .max(200, "The offer name can be at most 200 characters long.")
    .regex(NO_CONTROL, "The offer name cannot contain control characters.")
    .refine((v) => v.isWellFormed(), "The offer name contains an invalid character."),
  // Forms send strings; "12" and 12 mean the same, "" and "1.5" do not mean a quantity.
  quantity: z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: "Enter the quantity as a whole number." })
      .int("Enter the quantity as a whole number.")
      .min(1, "The quantity must be at least 1.")
      .max(MAX_SUBSCRIPTION_QUANTITY, `The quantity can be at most ${MAX_SUBSCRIPTION_QUANTITY.toLocaleString("en-US")}.`),
  ),
  billingCycle: z.enum(BILLING_CYCLES, { error: "Choose monthly or annual billing." }),
});

export interface FieldError {
  field: string;
  message: string;
}

function validated<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message }));
  throw new AppError("bad_request", errors[0]?.message ?? "The input is invalid.", { errors });
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
      const [customer] = await tx
        .insert(customers)
        .values({ id: randomUUID(), tenantId: ctx.tenantId, companyName: input.companyName, domain: input.domain })
        .returning();
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
      const [subscription] = await tx
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
        .returning();
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
