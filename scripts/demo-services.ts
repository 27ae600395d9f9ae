/*
 * Stand-ins for the outside world in demo mode and in tests: the local OIDC server plays the
 * commercial and US Government authorities. In production the AUTH_<CLOUD>_* variables point at
 * the real authorities and nothing is started here.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { DEMO_PARTNER_CENTER, DEMO_PASSWORD, DEMO_TENANTS } from "@/db/seed/demo-data";
import { assertProductionSecret } from "@/lib/auth/secret";
import { servedClouds } from "@/lib/clouds";
import { portIsFree } from "@/lib/embedded-db";
import { ConfigError } from "@/lib/errors";
import { encryptSecret, generateSecretsKey, secretsKey } from "@/lib/secret-box";
import { startLocalOidc, type LocalAccount } from "@/lib/local-oidc/server";
import { scopeMaintenanceSql } from "@/db/scope";
import { ensureDemoConnection, loadDemoPartners } from "@/db/seed/demo-partner-center";
import { startPartnerCenterStandin } from "@/lib/partner-center/standin/server";
import { SECRET_PURPOSE } from "@/lib/partner-center/sync/sync-tenant";
import type { Cloud } from "@/lib/domain";

export interface DemoServices {
  /** Environment the app needs to reach these services. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const configured = (cloud: Cloud) => !!process.env[`AUTH_${cloud.toUpperCase()}_ISSUER`];

/** Demo sessions and stored secrets survive a restart: the keys are kept beside the embedded data. */
function demoKey(dataDir: string, name: string, generate: () => string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = generate();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function accountLoader(databaseUrl: string) {
  return async (cloud: Cloud): Promise<LocalAccount[]> => {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      return await sql.begin(async (tx) => {
        await scopeMaintenanceSql(tx);
        return tx<LocalAccount[]>`
          select u.id, u.user_principal_name as email, u.display_name as name, u.tenant_id as "tenantId"
          from partner_users u join partner_tenants t on t.id = u.tenant_id
          where t.cloud = ${cloud}`;
      });
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
}

export async function startDemoServices(options: {
  appPort: number;
  databaseUrl: string;
  dataDir: string;
}): Promise<DemoServices> {
  const clouds = servedClouds();
  assertProductionSecret(process.env, clouds.every(configured));
  const env: Record<string, string> = {};
  if (!process.env.AUTH_SECRET)
    env.AUTH_SECRET = demoKey(options.dataDir, "auth-secret", () => randomBytes(32).toString("base64url"));
  if (!process.env.SECRETS_KEY) env.SECRETS_KEY = demoKey(options.dataDir, "secrets-key", generateSecretsKey);

  const local = clouds.filter((c) => !configured(c));
  if (local.length === 0) return { env, stop: async () => {} };

  const port = Number(process.env.OIDC_PORT ?? options.appPort + 1);
  if (!(await portIsFree(port)))
    throw new ConfigError(`port ${port} for the local OIDC server is taken: free it or set OIDC_PORT`);
  const clientSecret = randomBytes(24).toString("base64url");
  const appUrl = process.env.AUTH_URL?.replace(/\/api\/auth\/?$/, "") ?? `http://localhost:${options.appPort}`;
  const oidc = await startLocalOidc({
    port,
    clouds: local,
    appUrl,
    clientSecret,
    password: DEMO_PASSWORD,
    loadAccounts: accountLoader(options.databaseUrl),
    // A local authority only runs for the demo: its form says which accounts there are.
    listAccounts: true,
  });
  for (const cloud of local) {
    const prefix = `AUTH_${cloud.toUpperCase()}`;
    env[`${prefix}_ISSUER`] = oidc.issuerFor(cloud);
    env[`${prefix}_CLIENT_ID`] = oidc.clientIdFor(cloud);
    env[`${prefix}_CLIENT_SECRET`] = clientSecret;
  }
  console.log(`[start] local OIDC authorities for ${local.join(", ")} on http://localhost:${port}`);
  const partnerCenter = await startDemoPartnerCenter(options, local, env);
  return {
    env,
    stop: async () => {
      await partnerCenter?.close();
      await oidc.close();
    },
  };
}

/** A new record every 30 minutes or so per tenant, and a 90-day backfill of ~4,300 at first start. */
const DEMO_RECORDS_PER_DAY = 48;

/**
 * The local Partner Center stand-in for the demo tenants, with a connection to it per tenant (unless
 * PARTNER_CENTER_DEMO_CONNECTIONS=off, as in the end-to-end tests, where an admin configures one),
 * so `npm start` shows Partner Center records arriving by themselves.
 */
async function startDemoPartnerCenter(
  options: { appPort: number; databaseUrl: string },
  clouds: Cloud[],
  env: Record<string, string>,
) {
  if (process.env.PARTNER_CENTER_API_URL) return null;
  const port = Number(process.env.PARTNER_CENTER_STANDIN_PORT ?? options.appPort + 2);
  if (!(await portIsFree(port)))
    throw new ConfigError(
      `port ${port} for the local Partner Center stand-in is taken: free it or set PARTNER_CENTER_STANDIN_PORT`,
    );
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const partners = await loadDemoPartners(
      sql,
      DEMO_TENANTS.map((t) => t.id),
      clouds,
    );
    const standin = await startPartnerCenterStandin({
      port,
      partners: partners.map((p) => ({
        ...p,
        clientId: DEMO_PARTNER_CENTER.clientId,
        clientSecret: DEMO_PARTNER_CENTER.clientSecret,
        recordsPerDay: DEMO_RECORDS_PER_DAY,
      })),
    });
    env.PARTNER_CENTER_API_URL = standin.url;
    for (const cloud of clouds) env[`PARTNER_CENTER_AUTHORITY_${cloud.toUpperCase()}`] = standin.authorityFor(cloud);
    if (process.env.PARTNER_CENTER_DEMO_CONNECTIONS !== "off") {
      const key = secretsKey({ SECRETS_KEY: env.SECRETS_KEY ?? process.env.SECRETS_KEY });
      for (const p of partners) {
        await ensureDemoConnection(sql, p, {
          clientId: DEMO_PARTNER_CENTER.clientId,
          sealedSecret: encryptSecret(DEMO_PARTNER_CENTER.clientSecret, SECRET_PURPOSE, p.tenantId, key),
          baseUrl: standin.url,
        });
      }
    }
    console.log(`[start] local Partner Center stand-in on ${standin.url}`);
    return standin;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
