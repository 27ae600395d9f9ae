import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import Provider, { type Configuration } from "oidc-provider";
import { CLOUD_LABELS } from "@/lib/clouds";
import { renderLoginPage } from "./login-page";
import type { Cloud } from "@/lib/domain";
import { beforeFirst } from "@/lib/before-first";

/*
 * A local OpenID Connect authority that plays Microsoft Entra ID for each cloud, so demo and tests
 * run the real sign-in code path (authorization code + PKCE, signed ID tokens, issuer checks).
 * Each cloud is its own issuer with its own directory: an account of the US Government cloud
 * does not exist at the commercial authority, exactly as with the real authorities.
 */

export interface LocalAccount {
  /** The `sub` claim: the partner user's id. */
  id: string;
  email: string;
  name: string;
  /** The `tid` claim: the partner's directory tenant id. */
  tenantId: string;
}

export interface LocalOidcOptions {
  port: number;
  clouds: readonly Cloud[];
  /** Where the app's Auth.js callback lives: `${appUrl}/api/auth/callback/${cloud}`. */
  appUrl: string;
  clientSecret: string;
  loadAccounts(cloud: Cloud): Promise<LocalAccount[]>;
  password: string;
  /** The demo: the sign-in form lists this cloud's accounts and their password. */
  listAccounts?: boolean;
}

export interface LocalOidcServer {
  issuerFor(cloud: Cloud): string;
  clientIdFor(cloud: Cloud): string;
  close(): Promise<void>;
}

export const issuerPath = (cloud: Cloud) => `/${cloud}/v2.0`;

interface Authority {
  handle: ReturnType<Provider["callback"]>;
  interaction(req: http.IncomingMessage, res: http.ServerResponse, uid: string): Promise<void>;
}

function createAuthority(cloud: Cloud, issuer: string, options: LocalOidcOptions): Authority {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: `${cloud}-local`, use: "sig", alg: "RS256" };

  let accounts: Map<string, LocalAccount> | undefined;
  const directory = async () => {
    // Loaded on first use, so accounts seeded after start are known.
    accounts ??= new Map((await options.loadAccounts(cloud)).map((a) => [a.id, a]));
    return accounts;
  };

  const configuration: Configuration = {
    clients: [
      {
        client_id: `partner-activity-log-${cloud}`,
        client_secret: options.clientSecret,
        // The demo answers on localhost and 127.0.0.1 alike; sign-in must work from either.
        redirect_uris: [...new Set([options.appUrl, options.appUrl.replace("//localhost:", "//127.0.0.1:")])].map(
          (url) => `${url}/api/auth/callback/${cloud}`,
        ),
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: { openid: ["sub", "tid"], email: ["email"], profile: ["name", "preferred_username"] },
    // Entra ID puts these in the ID token; Auth.js reads the profile from it.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `${issuerPath(cloud)}/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = (await directory()).get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            tid: account.tenantId,
            email: account.email,
            preferred_username: account.email,
            name: account.name,
          };
        },
      };
    },
    // First-party app: consent is implied, as it is for an admin-consented Entra application.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    ttl: {
      Session: 8 * 3600,
      Interaction: 3600,
      Grant: 8 * 3600,
      AccessToken: 3600,
      IdToken: 3600,
      AuthorizationCode: 600,
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = true;
  provider.on("server_error", (_ctx, error) => console.error(`[oidc ${cloud}]`, error));

  const readForm = (req: http.IncomingMessage) =>
    new Promise<URLSearchParams>((resolve, reject) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        body += chunk;
        if (body.length > 10_000) reject(new Error("form too large"));
      });
      req.on("end", () => resolve(new URLSearchParams(body)));
      req.on("error", reject);
    });

  // The login step of an interaction: email and password, checked against this cloud's directory.
  const interaction = async (req: http.IncomingMessage, res: http.ServerResponse, uid: string) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    const title = `Sign in to ${CLOUD_LABELS[cloud]}`;
    const demo = options.listAccounts
      ? {
          accounts: [...(await directory()).values()]
            .map(({ email, name }) => ({ email, name }))
            .sort((a, b) => a.email.localeCompare(b.email)),
          password: options.password,
        }
      : undefined;
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(renderLoginPage({ title, action: req.url!, authority: issuer, demo }));
      return;
    }
    const form = await readForm(req);
    const email = (form.get("email") ?? "").trim().toLowerCase();
    const account = [...(await directory()).values()].find((a) => a.email.toLowerCase() === email);
    if (!account || form.get("password") !== options.password) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(
        renderLoginPage({
          title,
          action: req.url!,
          authority: issuer,
          email,
          demo,
          error: `We couldn't sign you in. Check the email and password for an account of ${CLOUD_LABELS[cloud]}.`,
        }),
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.id } },
      { mergeWithLastSubmission: false },
    );
  };

  return { handle: provider.callback(), interaction };
}

export async function startLocalOidc(options: LocalOidcOptions): Promise<LocalOidcServer> {
  const base = `http://localhost:${options.port}`;
  const authorities = new Map(
    options.clouds.map((cloud) => [cloud, createAuthority(cloud, base + issuerPath(cloud), options)] as const),
  );

  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const cloud = options.clouds.find(
      (c) => url === issuerPath(c) || url.startsWith(issuerPath(c) + "/") || url.startsWith(issuerPath(c) + "?"),
    );
    if (!cloud) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Unknown authority");
      return;
    }
    const authority = authorities.get(cloud)!;
    const prefix = issuerPath(cloud);
    const rest = url.slice(prefix.length) || "/";
    const [, interactionId] = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(beforeFirst(rest, "?")) ?? [];
    if (interactionId !== undefined) {
      authority.interaction(req, res, interactionId).catch((error: unknown) => {
        console.error(`[oidc ${cloud}] interaction failed`, error);
        if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
        res.end("This sign-in request has expired or is not valid. Start again from the app.");
      });
      return;
    }
    // Mounted below the issuer path: oidc-provider derives its mount point from originalUrl.
    (req as http.IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = rest;
    void authority.handle(req, res); // Koa answers its own errors
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });

  return {
    issuerFor: (cloud) => base + issuerPath(cloud),
    clientIdFor: (cloud) => `partner-activity-log-${cloud}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
