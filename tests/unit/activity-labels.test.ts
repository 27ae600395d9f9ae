import { describe, expect, it } from "vitest";
import { OPERATION_STATUSES } from "@/db/schema";
import { actionLabel, humanise, STATUS_LABELS } from "@/lib/activity-labels";

describe("action labels", () => {
  it("reads known operation types as words", () => {
    expect(actionLabel("create_order")).toBe("Created an order");
    expect(actionLabel("update_subscription")).toBe("Updated subscription");
    expect(actionLabel("create_referral")).toBe("Created a referral");
  });

  it("humanises operation types it does not know", () => {
    expect(actionLabel("update_customer_qualification")).toBe("Update customer qualification");
    expect(actionLabel("transferSubscriptions")).toBe("Transfer subscriptions");
    expect(humanise("__")).toBe("Unknown action");
  });

  it("labels every status", () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...OPERATION_STATUSES].sort());
    // Fixed English words: the CSV export and the API carry them in every locale.
    expect(STATUS_LABELS).toEqual({ succeeded: "Succeeded", failed: "Failed", progress: "In progress" });
  });
});
