/*
 * `npm run api-keys -- <command>`: ingestion API keys, as the owner.
 *   create --tenant <uuid> --name <label> [--scopes ingest,read]
 *                                            prints the new key ONCE (only its hash is stored);
 *                                            scopes default to ingest (read: the auditrecords API)
 *   revoke --id <key id>                     the key stops working at once
 *   list --tenant <uuid>                     keys of a tenant (prefix, name, state), never the keys
 */
import { parseArgs } from "node:util";
import { AppError, ConfigError } from "@/lib/errors";
import { createApiKey, listApiKeys, revokeApiKey } from "@/db/api-keys";
import { parseScopeList } from "@/lib/ingest/api-key-format";
import { runScript, withScriptSql } from "./with-database";

const USAGE = `usage: npm run api-keys -- create --tenant <uuid> --name <label> [--scopes ingest,read]
       npm run api-keys -- revoke --id <key id>
       npm run api-keys -- list --tenant <uuid>`;

function fail(message: string): never {
  throw new ConfigError(message);
}

runScript("api-keys", () => {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      tenant: { type: "string" },
      name: { type: "string" },
      id: { type: "string" },
      scopes: { type: "string" },
    },
  });
  const [command] = positionals;
  if (command === undefined || !["create", "revoke", "list"].includes(command)) fail(USAGE);
  return withScriptSql(async (sql) => {
    if (command === "create") {
      if (!values.tenant || !values.name) fail(USAGE);
      const scopes = parseScopeList(values.scopes ?? "ingest");
      const key = await createApiKey({ sql, tenantId: values.tenant, name: values.name, scopes });
      console.log(
        `Created API key ${key.id} "${key.name}" for tenant ${key.tenantId} (${key.cloud}), scopes ${key.scopes.join(", ")}.`,
      );
      console.log("The key is shown only this once; store it in the producer's secret store:");
      console.log(key.key);
    } else if (command === "revoke") {
      if (!values.id) fail(USAGE);
      const key = await revokeApiKey({ sql, id: values.id });
      if (!key) fail(`no API key ${values.id}`);
      console.log(
        `Revoked API key ${key.id} "${key.name}" (${key.keyPrefix}...) of tenant ${key.tenantId} at ${key.revokedAt?.toISOString()}.`,
      );
    } else if (command === "list") {
      if (!values.tenant) fail(USAGE);
      const keys = await listApiKeys({ sql, tenantId: values.tenant });
      if (keys.length === 0) console.log(`No API keys for tenant ${values.tenant}.`);
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
        console.log(
          `${k.id}  ${k.keyPrefix}...  ${state.padEnd(32)}  ${k.scopes.join(",").padEnd(11)}  created ${k.createdAt.toISOString()}  ${k.name}`,
        );
      }
    }
  }).catch((error: unknown) => {
    // Bad input (an unknown tenant, a malformed id) is the user's to fix: say it in one line.
    throw error instanceof AppError ? new ConfigError(error.message) : error;
  });
});
