import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import en from "@/messages/en.json";
import ko from "@/messages/ko.json";
import {
  actionLabel,
  asCatalog,
  humanise,
  KNOWN_OPERATION_TYPES,
  KNOWN_RESOURCE_TYPES,
  resourceLabel,
  STATUS_LABELS,
  translatedActionLabel,
  translatedResourceLabel,
  translatedStatusLabel,
} from "@/lib/activity-labels";
import { OPERATION_STATUSES } from "@/lib/domain";

/*
 * Partner Center's vocabularies as its REST API sends them: the .NET SDK's Auditing enums
 * (OperationType, ResourceType; `Undefined` left out), snake_cased the way its EnumJsonConverter
 * writes them. Written out here rather than derived: the test is the oracle for what Partner
 * Center can send.
 */
const PARTNER_CENTER_OPERATION_TYPES = [
  "update_customer_qualification",
  "update_subscription",
  "upgrade_subscription",
  "convert_trial_subscription",
  "add_customer",
  "update_customer_billing_profile",
  "update_customer_partner_contract_company_name",
  "update_customer_spending_budget",
  "delete_customer",
  "remove_partner_customer_relationship",
  "create_order",
  "update_order",
  "create_customer_user",
  "delete_customer_user",
  "update_customer_user",
  "update_customer_user_licenses",
  "reset_customer_user_password",
  "update_customer_user_principal_name",
  "restore_customer_user",
  "create_mpn_association",
  "update_mpn_association",
  "update_sfb_customer_user_licenses",
  "update_transfer",
  "create_partner_relationship",
  "register_application",
  "unregister_application",
  "add_application_credential",
  "remove_application_credential",
  "create_partner_user",
  "update_partner_user",
  "remove_partner_user",
  "create_referral",
  "update_referral",
  "get_software_key",
  "get_software_download_link",
  "increase_spending_limit",
  "ready_invoice",
  "create_agreement",
  "extend_relationship",
  "create_transfer",
  "create_self_serve_policy",
  "update_self_serve_policy",
  "delete_self_serve_policy",
  "remove_partner_relationship",
  "delete_tip_customer",
  "create_related_referral",
  "update_related_referral",
  "granular_admin_relationship_approved",
  "granular_admin_relationship_activated",
  "granular_admin_relationship_termination_requested",
  "granular_admin_relationship_terminated",
  "granular_admin_relationship_expired",
  "granular_admin_access_assignment_created",
  "granular_admin_access_assignment_updated",
  "granular_admin_access_assignment_deleted",
  "dap_admin_relationship_approved",
  "dap_admin_relationship_terminated",
  "create_credit",
  "update_credit",
  "cancel_credit",
  "add_user_member",
  "remove_user_member",
  "granular_admin_access_assignment_activated",
  "software_attestation",
  "granular_admin_relationship_cleaned_up",
  "update_company_info",
  "policy_created",
  "policy_updated",
  "policy_deleted",
  "device_updated",
  "devices_update_attempted",
  "device_deleted",
  "devices_upload_to_new_batch_attempted",
  "devices_upload_to_existing_batch_attempted",
  "manage_overage",
  "dap_admin_relationship_terminated_by_microsoft",
  "azure_fraud_event_detected",
  "create_new_commerce_migration",
] as const;

const PARTNER_CENTER_RESOURCE_TYPES = [
  "customer",
  "customer_user",
  "order",
  "subscription",
  "license",
  "third_party_add_on",
  "mpn_association",
  "transfer",
  "application",
  "application_credential",
  "partner_user",
  "partner_relationship",
  "referral",
  "software_key",
  "software_download_link",
  "spending_limit",
  "invoice",
  "agreement",
  "partner_customer_relationship",
  "self_serve_policy",
  "granular_admin_relationship",
  "granular_admin_access_assignment",
  "partner_customer_dap",
  "credit",
  "customer_directory_role",
  "software_page",
  "device",
  "policy",
  "overage",
  "new_commerce_migration",
  "azure_entitlement",
  "indirect_provider_indirect_reseller_dap",
] as const;

const translators = {
  en: asCatalog(createTranslator({ locale: "en", messages: en })),
  ko: asCatalog(createTranslator({ locale: "ko", messages: ko })),
};
const hangul = /[\uac00-\ud7a3]/;

describe("action labels", () => {
  it("reads known operation types as words", () => {
    expect(actionLabel("create_order")).toBe("Created order");
    expect(actionLabel("update_subscription")).toBe("Updated subscription");
    expect(actionLabel("create_referral")).toBe("Created referral");
    expect(actionLabel("update_customer_qualification")).toBe("Updated customer qualification");
  });

  it("humanises operation types it does not know", () => {
    expect(actionLabel("transfer_subscriptions_in_bulk")).toBe("Transfer subscriptions in bulk");
    expect(actionLabel("transferSubscriptions")).toBe("Transfer subscriptions");
    expect(humanise("__")).toBe("Unknown action");
    expect(translatedActionLabel(translators.en, "transfer_subscriptions_in_bulk")).toBe(
      "Transfer subscriptions in bulk",
    );
    expect(translatedActionLabel(translators.ko, "transfer_subscriptions_in_bulk")).toBe(
      "Transfer subscriptions in bulk",
    );
  });

  it("labels every Partner Center operation type in English and Korean", () => {
    for (const type of PARTNER_CENTER_OPERATION_TYPES) {
      expect(KNOWN_OPERATION_TYPES, type).toContain(type);
      expect(translatedActionLabel(translators.en, type), type).toBe(actionLabel(type));
      expect(translatedActionLabel(translators.ko, type), type).toMatch(hangul);
    }
  });
});

describe("resource labels", () => {
  it("labels every Partner Center resource type in English and Korean", () => {
    for (const type of PARTNER_CENTER_RESOURCE_TYPES) {
      expect(KNOWN_RESOURCE_TYPES, type).toContain(type);
      expect(translatedResourceLabel(translators.en, type), type).toBe(resourceLabel(type));
      expect(translatedResourceLabel(translators.ko, type), type).toMatch(hangul);
    }
    expect(resourceLabel("customer_user")).toBe("Customer user");
    expect(resourceLabel("third_party_add_on")).toBe("Third-party add-on");
  });

  it("humanises resource types it does not know", () => {
    expect(resourceLabel("reseller_agreement_draft")).toBe("Reseller agreement draft");
    expect(translatedResourceLabel(translators.ko, "reseller_agreement_draft")).toBe("Reseller agreement draft");
  });
});

describe("status labels", () => {
  it("labels every status", () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...OPERATION_STATUSES].sort());
    // Fixed English words: the CSV export and the API carry them in every locale.
    expect(STATUS_LABELS).toEqual({
      succeeded: "Succeeded",
      failed: "Failed",
      progress: "In progress",
      decline: "Declined",
    });
  });

  it("labels decline in both languages", () => {
    expect(translatedStatusLabel(translators.en, "decline")).toBe("Declined");
    expect(translatedStatusLabel(translators.ko, "decline")).toBe("거부됨");
  });
});
