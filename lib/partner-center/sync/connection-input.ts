import { isUuid } from "@/lib/uuid";
import { DEFAULT_PARTNER_CENTER_API } from "./authority";

/*
 * The Data sources form, checked field by field. Problems carry a code (and values) that the page
 * words in the reader's language; nothing here is a sentence.
 */

export type ConnectionField = "clientId" | "clientSecret" | "refreshToken" | "baseUrl";
export type ConnectionProblemCode =
  | "clientIdRequired"
  | "clientIdFormat"
  | "secretRequired"
  | "secretTooLong"
  | "tokenTooLong"
  | "baseUrlFormat"
  | "baseUrlHttps";

export interface ConnectionProblem {
  field: ConnectionField;
  code: ConnectionProblemCode;
}

export interface ConnectionInput {
  clientId: string;
  /** Undefined: keep the stored one. */
  clientSecret?: string;
  /** Undefined: keep; null: remove (back to app-only). */
  refreshToken?: string | null;
  baseUrl: string;
  enabled: boolean;
}

const MAX_SECRET_LENGTH = 1_024;
const MAX_TOKEN_LENGTH = 8_192;
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
};

export function parseConnectionForm(
  form: FormData,
  { hasSecret }: { hasSecret: boolean },
): { ok: true; value: ConnectionInput } | { ok: false; problems: [ConnectionProblem, ...ConnectionProblem[]] } {
  const problems: ConnectionProblem[] = [];
  const clientId = field(form, "clientId").toLowerCase();
  if (!clientId) problems.push({ field: "clientId", code: "clientIdRequired" });
  else if (!isUuid(clientId)) problems.push({ field: "clientId", code: "clientIdFormat" });

  const secret = field(form, "clientSecret");
  if (!secret && !hasSecret) problems.push({ field: "clientSecret", code: "secretRequired" });
  if (secret.length > MAX_SECRET_LENGTH) problems.push({ field: "clientSecret", code: "secretTooLong" });

  const token = field(form, "refreshToken");
  if (token.length > MAX_TOKEN_LENGTH) problems.push({ field: "refreshToken", code: "tokenTooLong" });

  const baseText = field(form, "baseUrl") || DEFAULT_PARTNER_CENTER_API;
  let baseUrl = baseText;
  try {
    const url = new URL(baseText);
    // Plain http only to this machine (the local stand-in); a secret never crosses a network in clear.
    if (url.protocol !== "https:" && !(url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) {
      problems.push({ field: "baseUrl", code: "baseUrlHttps" });
    }
    if (url.search || url.hash || url.username || url.password)
      problems.push({ field: "baseUrl", code: "baseUrlFormat" });
    baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    problems.push({ field: "baseUrl", code: "baseUrlFormat" });
  }
  const [first, ...more] = problems;
  if (first) return { ok: false, problems: [first, ...more] };
  return {
    ok: true,
    value: {
      clientId,
      baseUrl,
      enabled: form.get("enabled") === "on",
      ...(secret ? { clientSecret: secret } : {}),
      ...(form.get("removeRefreshToken") === "on" ? { refreshToken: null } : token ? { refreshToken: token } : {}),
    },
  };
}
