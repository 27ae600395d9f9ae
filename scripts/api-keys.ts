/*
 * `npm run api-keys -- <command>`: ingestion API keys, as the owner.
 *   create --tenant <uuid> --name <label>   prints the new key ONCE (only its hash is stored)
 *   revoke --id <key id>                     the key stops working at once
 *   list --tenant <uuid>                     keys of a tenant (prefix, name, state), never the keys
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { AppError } from "@/lib/errors";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/ingest/api-keys";

const USAGE = `usage: npm run api-keys -- create --tenant <uuid> --name <label>
       npm run api-keys -- revoke --id <key id>
       npm run api-keys -- list --tenant <uuid>`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    fail("api-keys: DATABASE_URL is not set; run it against the app's database, e.g. DATABASE_URL=postgres://postgres:postgres@localhost:15432/activity_log npm run api-keys -- list --tenant <uuid>");
  }
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { tenant: { type: "string" }, name: { type: "string" }, id: { type: "string" } },
  });
  const [command] = positionals;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    if (command === "create") {
      if (!values.tenant || !values.name) fail(USAGE);
      const key = await createApiKey({ sql, tenantId: values.tenant, name: values.name });
      console.log(`Created API key ${key.id} "${key.name}" for tenant ${key.tenantId} (${key.cloud}).`);
      console.log("The key is shown only this once; store it in the producer's secret store:");
      console.log(key.key);
    } else if (command === "revoke") {
      if (!values.id) fail(USAGE);
      const key = await revokeApiKey({ sql, id: values.id });
      if (!key) fail(`api-keys: no API key ${values.id}`);
      console.log(`Revoked API key ${key.id} "${key.name}" (${key.keyPrefix}...) of tenant ${key.tenantId} at ${key.revokedAt?.toISOString()}.`);
    } else if (command === "list") {
      if (!values.tenant) fail(USAGE);
      const keys = await listApiKeys({ sql, tenantId: values.tenant });
      if (keys.length === 0) console.log(`No API keys for tenant ${values.tenant}.`);
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
        console.log(`${k.id}  ${k.keyPrefix}...  ${state.padEnd(32)}  created ${k.createdAt.toISOString()}  ${k.name}`);
      }
    } else {
      fail(USAGE);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error) => {
  console.error(`api-keys: ${error instanceof AppError || error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
