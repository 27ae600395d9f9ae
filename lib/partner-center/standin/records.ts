import { createHash } from "node:crypto";

/*
 * The audit records the Partner Center stand-in serves: generated from the partner, the UTC day
 * and the position in the day alone, so every read of a day returns the same records, byte for
 * byte, as the real API does. Shaped as GET /v1/auditrecords returns them: resource values as
 * JSON inside strings (PascalCase), customizedData as key/value pairs, 7 fractional digits,
 * ids `{partnerId}_{ticks}`.
 */

export type AuditRecordJson = Record<string, unknown>;

export interface StandinCustomer {
  id: string;
  name: string;
}

export interface GeneratorOptions {
  partnerId: string;
  recordsPerDay: number;
  customers: StandinCustomer[];
  users: string[];
}

const DAY_MS = 86_400_000;
const TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000n;

const digest = (...parts: (string | number)[]) => createHash("sha256").update(parts.join("|")).digest();

/** A stable UUID (version 8) from the parts. */
export function stableUuid(...parts: (string | number)[]): string {
  const hex = digest(...parts)
    .toString("hex")
    .slice(0, 32);
  const h = hex.split("");
  h[12] = "8";
  h[16] = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** A number in [0, 1) from the parts. */
const unit = (...parts: (string | number)[]) => digest(...parts).readUInt32BE(0) / 2 ** 32;

/** Partner Center's operationDate (7 fractional digits) and its .NET ticks. */
export function operationDateOf(ms: number, subMillisecond: number): { text: string; ticks: string } {
  const text = new Date(ms).toISOString().replace(/\.(\d{3})Z$/, `.$1${String(subMillisecond).padStart(4, "0")}Z`);
  const ticks = (BigInt(ms) * 10_000n + BigInt(subMillisecond) + TICKS_AT_UNIX_EPOCH).toString();
  return { text, ticks };
}

/** Fictional customers for a partner the stand-in was given none for. */
export function generatedCustomers(partnerId: string, count = 12): StandinCustomer[] {
  const names = [
    "Adatum Corporation",
    "Alpine Ski House",
    "Société Générale des Eaux",
    "Škoda Parts Wholesale",
    "Northwind Traders",
    "Wide World Importers",
    "Lucerne Publishing",
    "Margie's Travel",
    "Coho Winery",
    "Proseware, Inc.",
    "Trey Research",
    "Woodgrove Bank",
  ];
  return Array.from({ length: count }, (_, i) => ({
    id: stableUuid("customer", partnerId, i),
    name: names[i % names.length]!, // names is a non-empty literal
  }));
}

const OFFERS = ["Microsoft 365 Business Premium", "Microsoft 365 E3", "Exchange Online (Plan 1)", "Azure plan"];

function recordAt(options: GeneratorOptions, day: number, index: number, ms: number): AuditRecordJson {
  const { partnerId } = options;
  const pick = <T>(list: T[], salt: string): T => {
    const item = list[Math.floor(unit(partnerId, day, index, salt) * list.length)];
    if (item === undefined) throw new Error(`The stand-in has no ${salt} to pick from.`);
    return item;
  };
  const customer = pick(options.customers, "customer");
  const user = pick(options.users, "user");
  const kind = unit(partnerId, day, index, "kind");
  const failed = unit(partnerId, day, index, "status") < 0.08;
  const { text, ticks } = operationDateOf(ms, index % 10_000);
  const base: AuditRecordJson = {
    id: `${partnerId}_${ticks}`,
    partnerId,
    participants: [partnerId],
    customerId: customer.id,
    customerName: customer.name,
    userPrincipalName: user,
    applicationId: "Partner Center Web",
    sessionId: stableUuid("session", partnerId, day, Math.floor(index / 5)),
    originalCorrelationId: stableUuid("correlation", partnerId, day, index),
    operationDate: text,
    operationStatus: failed ? "failed" : "succeeded",
    attributes: { objectType: "AuditRecord" },
  };
  const quantity = 5 + Math.floor(unit(partnerId, day, index, "quantity") * 200);
  if (kind < 0.45) {
    return {
      ...base,
      resourceType: "license",
      operationType: "update_customer_user_licenses",
      resourceOldValue: JSON.stringify({ SkuId: "c7df2760", Quantity: quantity + 8, Status: "Active" }),
      resourceNewValue: JSON.stringify({ SkuId: "c7df2760", Quantity: quantity, Status: "Active" }),
      customizedData: [{ key: "CustomerUserId", value: stableUuid("user", partnerId, day, index) }],
    };
  }
  if (kind < 0.7) {
    const orderId = stableUuid("order", partnerId, day, index);
    const lines = 1 + Math.floor(unit(partnerId, day, index, "lines") * 3);
    const items = Array.from({ length: lines }, (_, i) => ({
      LineItemNumber: i,
      OfferId: stableUuid("offer", i).toUpperCase(),
      SubscriptionId: stableUuid("subscription", partnerId, day, index, i).toUpperCase(),
      FriendlyName: OFFERS[(index + i) % OFFERS.length],
      Quantity: quantity + i,
    }));
    return {
      ...base,
      resourceType: "order",
      operationType: "create_order",
      resourceNewValue: JSON.stringify({ Id: orderId, ReferenceCustomerId: customer.id, LineItems: items }),
      customizedData: [
        { key: "OrderId", value: orderId },
        ...items.flatMap((item, i) => [
          { key: `OfferId-${i}`, value: item.OfferId },
          { key: `SubscriptionId-${i}`, value: item.SubscriptionId },
          { key: `SubscriptionName-${i}`, value: item.FriendlyName },
          { key: `Quantity-${i}`, value: String(item.Quantity) },
        ]),
      ],
    };
  }
  if (kind < 0.9) {
    return {
      ...base,
      resourceType: "subscription",
      operationType: "update_subscription",
      resourceOldValue: JSON.stringify({ Quantity: quantity + 3, AutoRenewEnabled: true }),
      resourceNewValue: JSON.stringify({ Quantity: quantity, AutoRenewEnabled: true }),
      customizedData: [{ key: "SubscriptionId", value: stableUuid("subscription", partnerId, day, index) }],
    };
  }
  return {
    ...base,
    resourceType: "customer_user",
    operationType: "reset_customer_user_password",
    customizedData: [{ key: "CustomerUserId", value: stableUuid("user", partnerId, day, index) }],
  };
}

/** The UTC day number (days since 1970-01-01) of a time. */
export const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);

/** The generated records of one UTC day, oldest first, spread evenly over the day. */
export function recordsOfDay(options: GeneratorOptions, day: number): AuditRecordJson[] {
  const n = options.recordsPerDay;
  const start = day * DAY_MS;
  return Array.from({ length: n }, (_, i) => recordAt(options, day, i, start + Math.floor(((i + 0.5) * DAY_MS) / n)));
}
