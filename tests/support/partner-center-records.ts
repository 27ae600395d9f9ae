import { randomUUID } from "node:crypto";

/*
 * Audit records shaped as Partner Center's GET /v1/auditrecords returns them: camelCase fields,
 * resource values as JSON serialized into strings (PascalCase inside), customizedData as key/value
 * pairs with an order's line items under index-suffixed keys, 7-digit fractional seconds, and ids
 * `{partnerId}_{customerId}_{operation}_{ticks}` (absent in older records).
 */

type Json = Record<string, unknown>;

const TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000n;

/** An operationDate with 7 fractional digits and its .NET ticks (the last 4 digits are sub-ms). */
export function operationDate(at: Date, subMillisecond = 1234): { text: string; ticks: string } {
  const text = at.toISOString().replace(/\.(\d{3})Z$/, `.$1${String(subMillisecond).padStart(4, "0")}Z`);
  const ticks = (BigInt(at.getTime()) * 10_000n + BigInt(subMillisecond) + TICKS_AT_UNIX_EPOCH).toString();
  return { text, ticks };
}

export function auditRecord(partnerId: string, at: Date, overrides: Json = {}): Json {
  const customerId = randomUUID();
  const { text, ticks } = operationDate(at);
  const operationType = (overrides.operationType as string | undefined) ?? "update_customer_user_licenses";
  return {
    id: `${partnerId}_${customerId}_${operationType.replace(/_/g, "")}_${ticks}`,
    partnerId,
    participants: [partnerId],
    customerId,
    customerName: "Wingtip Toys",
    userPrincipalName: "admin@wingtip-partner.onmicrosoft.com",
    applicationId: "FulfillmentService",
    sessionId: randomUUID(),
    resourceType: "license",
    resourceOldValue: JSON.stringify({ SkuId: "c7df2760", Quantity: 196, Status: "Active", AutoRenewEnabled: false }),
    resourceNewValue: JSON.stringify({ SkuId: "c7df2760", Quantity: 188, Status: "Active", AutoRenewEnabled: false }),
    operationType,
    originalCorrelationId: randomUUID(),
    operationDate: text,
    operationStatus: "succeeded",
    customizedData: [{ key: "CustomerUserId", value: randomUUID() }],
    attributes: { objectType: "AuditRecord" },
    ...overrides,
  };
}

export const OFFERS = [
  "Microsoft 365 Business Premium",
  "Microsoft 365 E3",
  "Exchange Online (Plan 1)",
  "Microsoft Teams Essentials",
  "Azure plan",
];

/** A create_order with `lines` products: the order serialized, and each line as index-suffixed keys. */
export function orderRecord(partnerId: string, at: Date, lines: number, overrides: Json = {}): Json {
  const customerId = (overrides.customerId as string | undefined) ?? randomUUID();
  const orderId = randomUUID();
  const items = Array.from({ length: lines }, (_, i) => ({
    LineItemNumber: i,
    OfferId: randomUUID().toUpperCase(),
    SubscriptionId: randomUUID().toUpperCase(),
    FriendlyName: OFFERS[i % OFFERS.length],
    Quantity: 5 + i,
    PartnerIdOnRecord: null,
  }));
  const order = { Id: orderId, ReferenceCustomerId: customerId, BillingCycle: "monthly", LineItems: items };
  return auditRecord(partnerId, at, {
    customerId,
    customerName: "Wingtip Toys",
    resourceType: "order",
    operationType: "create_order",
    resourceOldValue: undefined,
    resourceNewValue: JSON.stringify(order),
    customizedData: [
      { key: "OrderId", value: orderId },
      { key: "BillingCycle", value: "Monthly" },
      ...items.flatMap((item, i) => [
        { key: `OfferId-${i}`, value: item.OfferId },
        { key: `SubscriptionId-${i}`, value: item.SubscriptionId },
        { key: `SubscriptionName-${i}`, value: item.FriendlyName },
        { key: `Quantity-${i}`, value: String(item.Quantity) },
        { key: `PartnerOnRecord-${i}`, value: null },
      ]),
    ],
    ...overrides,
  });
}

/** Partner Center's response envelope around some records (its totalCount is not to be trusted). */
export const envelope = (items: Json[], totalCount = items.length + 3): Json => ({
  totalCount,
  items,
  links: { self: { uri: "/auditrecords?size=500", method: "GET", headers: [] } },
  attributes: { objectType: "Collection" },
});

/** A record as JSON without its undefined fields, as it comes back out of the log. */
export const asStored = (record: Json): Json => JSON.parse(JSON.stringify(record)) as Json;
