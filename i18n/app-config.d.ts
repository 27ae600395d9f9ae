import type messages from "@/messages/en.json";
import type { AppLocale } from "./config";

// Type-checked message keys (the English catalog is the shape; the catalog test holds Korean to it).
declare module "next-intl" {
  interface AppConfig {
    Locale: AppLocale;
    Messages: typeof messages;
  }
}
