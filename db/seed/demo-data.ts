import type { Cloud, PartnerRole } from "@/lib/domain";

/*
 * The demo directory. Tenant ids are fixed because the local OIDC server puts them in the `tid`
 * claim, exactly as Entra ID does with a partner's directory tenant id.
 */
export interface DemoTenant {
  id: string;
  cloud: Cloud;
  name: string;
  users: Array<{ userPrincipalName: string; displayName: string; role: PartnerRole }>;
}

export const DEMO_PASSWORD = "demo-password";

/** The demo's Partner Center app registration, as the local stand-in knows it (README, demo accounts). */
export const DEMO_PARTNER_CENTER = {
  clientId: "5b0f8e2a-0c1d-4e3f-9a7b-6c5d4e3f2a10",
  clientSecret: "demo-partner-center-secret",
} as const;

export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    id: "3f5c2a8e-7b1d-4c6a-9e2f-1a2b3c4d5e01",
    cloud: "commercial",
    name: "Contoso Partners",
    users: [
      { userPrincipalName: "admin@contoso.example", displayName: "Megan Bowen", role: "global_admin" },
      { userPrincipalName: "agent@contoso.example", displayName: "Alex Wilber", role: "admin_agent" },
      { userPrincipalName: "sales@contoso.example", displayName: "Diego Siciliani", role: "sales_agent" },
      { userPrincipalName: "helpdesk@contoso.example", displayName: "Lynne Robbins", role: "helpdesk_agent" },
      { userPrincipalName: "billing@contoso.example", displayName: "Isaiah Langer", role: "billing_admin" },
    ],
  },
  {
    id: "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c02",
    cloud: "commercial",
    name: "Fabrikam Cloud Solutions",
    users: [
      { userPrincipalName: "admin@fabrikam.example", displayName: "Adele Vance", role: "global_admin" },
      { userPrincipalName: "agent@fabrikam.example", displayName: "Johanna Lorenz", role: "admin_agent" },
      { userPrincipalName: "sales@fabrikam.example", displayName: "Nestor Wilke", role: "sales_agent" },
    ],
  },
  {
    id: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e03",
    cloud: "usgov",
    name: "Tailspin Government Solutions",
    users: [
      { userPrincipalName: "admin@tailspin.example", displayName: "Patti Fernandez", role: "global_admin" },
      { userPrincipalName: "agent@tailspin.example", displayName: "Grady Archie", role: "admin_agent" },
      { userPrincipalName: "billing@tailspin.example", displayName: "Lee Gu", role: "billing_admin" },
    ],
  },
];

/*
 * One ingestion API key per demo tenant (POST /api/v1/activity-records), seeded with the demo
 * data and documented in README so the API can be tried at once. Public by design: they exist only
 * in demo databases. Real keys come from `npm run api-keys -- create` and are shown once.
 */
export interface DemoApiKey {
  id: string;
  tenantId: string;
  name: string;
  key: string;
}

export const DEMO_API_KEYS: readonly DemoApiKey[] = [
  {
    id: "6b0f3c1e-2d4a-4e8b-9c7d-5a1e0f2b3c01",
    tenantId: "3f5c2a8e-7b1d-4c6a-9e2f-1a2b3c4d5e01",
    name: "Demo producer (Contoso)",
    key: "pal_demo_contoso_7c4e9a1f3b8d2e6a0f5c9b7d1e3a8f24",
  },
  {
    id: "6b0f3c1e-2d4a-4e8b-9c7d-5a1e0f2b3c02",
    tenantId: "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c02",
    name: "Demo producer (Fabrikam)",
    key: "pal_demo_fabrikam_2a6d8f0b4c1e7a3d9b5f2c8e6a0d4b17",
  },
  {
    id: "6b0f3c1e-2d4a-4e8b-9c7d-5a1e0f2b3c03",
    tenantId: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e03",
    name: "Demo producer (Tailspin, US Government)",
    key: "pal_demo_tailspin_9e1b5d3f7a2c8e4b0d6f1a9c3e5b7d62",
  },
];

/*
 * Real-looking customer names in several scripts, with the characters that break naive code:
 * commas, quotes, apostrophes, markup and a leading "=" (a spreadsheet formula if not neutralised).
 */
export const CUSTOMER_NAMES: readonly string[] = [
  "주식회사 한빛소프트",
  "서울데이터시스템 주식회사",
  "(주)푸른하늘물산",
  "부산해운 주식회사",
  "한결회계법인",
  "미래에너지 주식회사",
  "株式会社さくらテクノロジー",
  "東京ロジスティクス株式会社",
  "北京云桥科技有限公司",
  "台北晶片設計股份有限公司",
  "Müller & Söhne GmbH",
  "Société Générale d'Ingénierie",
  "Café Olé, S.A.",
  "Łódź Precision Sp. z o.o.",
  "Ærøskøbing Fiskeri ApS",
  "Núñez y Peña Abogados",
  "Škoda Dílny s.r.o.",
  "Smith, Jones & Partners, LLC",
  '"Blue Sky" Consulting',
  "O'Brien Logistics",
  "Northwind Traders",
  "Adventure Works Cycles",
  "Wide World Importers",
  "Tailwind Toys",
  "Alpine Ski House",
  "Coho Winery",
  "Lucerne Publishing",
  "Margie's Travel",
  "Proseware, Inc.",
  "Relecloud",
  "Trey Research",
  "VanArsdel, Ltd.",
  "Woodgrove Bank",
  "Fourth Coffee",
  "Graphic Design Institute",
  "Humongous Insurance",
  "Litware, Inc.",
  "Best For You Organics Company",
  "City Power & Light",
  "School of Fine Art",
  "Bellows College",
  "Consolidated Messenger",
  "Датагруп Україна ТОВ",
  "Αθηναϊκή Πληροφορική Α.Ε.",
  "شركة الرياض للتقنية",
  "=SUM(A1:A9) Holdings",
  "<b>Bold</b> Ventures",
  "Sunrise 🌅 Studios",
];

export { OFFERS } from "@/lib/offer-catalog";

export const LICENSE_SKUS: readonly string[] = [
  "O365_BUSINESS_ESSENTIALS",
  "O365_BUSINESS_PREMIUM",
  "SPE_E3",
  "SPE_E5",
  "STANDARDPACK",
  "POWER_BI_PRO",
  "EMS",
  "VISIOCLIENT",
];

export const APPLICATIONS: readonly string[] = [
  "Partner Center Web",
  "Partner Center Web",
  "Partner Center Web",
  "Partner Center API",
  "Partner Center PowerShell",
];

export const DEFAULT_SEED = 20261125;
export const DEFAULT_RECORDS_PER_TENANT = 20_000;
export const DEFAULT_SPAN_DAYS = 182;

/**
 * The realistic mix of operations (cumulative thresholds) that the seed and the benchmark draw
 * from. The last two are operation types the UI does not know, shown humanised.
 */
export const OPERATION_MIX: ReadonlyArray<[threshold: number, operation: string, resource: string]> = [
  [0.14, "create_order", "order"],
  [0.36, "update_subscription", "subscription"],
  [0.5, "update_customer_user_licenses", "license"],
  [0.62, "create_customer_user", "customer_user"],
  [0.68, "add_customer", "customer"],
  [0.75, "create_referral", "referral"],
  [0.81, "update_customer_billing_profile", "customer"],
  [0.88, "reset_customer_user_password", "customer_user"],
  [0.93, "delete_customer_user", "customer_user"],
  [0.96, "update_customer_qualification", "customer"],
  [0.99, "transfer_subscriptions", "subscription"],
  [1.01, "remove_partner_customer_relationship", "customer"],
];
