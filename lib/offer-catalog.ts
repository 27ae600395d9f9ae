/** The offers a partner can buy for a customer (the demo catalog). */
export const OFFERS: readonly string[] = [
  "Microsoft 365 Business Basic",
  "Microsoft 365 Business Standard",
  "Microsoft 365 Business Premium",
  "Microsoft 365 E3",
  "Microsoft 365 E5",
  "Office 365 E1",
  "Exchange Online (Plan 1)",
  "Microsoft Teams Essentials",
  "Power BI Pro",
  "Dynamics 365 Sales Enterprise",
  "Microsoft Defender for Endpoint P2",
  "Visio Plan 2",
  "Project Plan 3",
  "Windows 365 Enterprise",
  "Azure plan",
];
