import NextAuth, { type DefaultSession } from "next-auth";
import { headers } from "next/headers";
import { findDirectoryUser } from "@/db/queries/partner-directory";
import { signInErrorFor, type SignInError } from "@/lib/auth/sign-in-errors";
import { cloudAuthorities, cloudProviders } from "@/lib/auth/providers";
import { isCloud, servedClouds } from "@/lib/clouds";
import { checkSession, closeSession, openSession } from "@/lib/auth/server-session";
import { sessionPolicy, type SessionEndReason } from "@/lib/auth/session-policy";
import type { Cloud } from "@/lib/domain";

declare module "next-auth" {
  interface Session {
    cloud: Cloud;
    tenantId: string;
    tenantName: string;
    /** The server-side session row this cookie names (an identifier, not a credential). */
    sessionId: string;
    /** Why the cookie's session ended, when it has (the session then has no tenant). */
    ended?: SessionEndReason;
    user: { id: string; userPrincipalName: string } & DefaultSession["user"];
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    cloud?: Cloud;
    tenantId?: string;
    tenantName?: string;
    userId?: string;
    upn?: string;
    sid?: string;
    /** Set once the named session has ended: the cookie is dead, and says why until the next sign-in. */
    ended?: SessionEndReason;
  }
}

const refuse = (error: SignInError) => `/signin?error=${error}`;

/*
 * Configured per request (a function), so that environment problems surface as a clear sign-in
 * error at run time instead of breaking `next build`.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const authorities = cloudAuthorities(servedClouds());
  return {
    providers: cloudProviders(authorities),
    trustHost: true,
    // The cookie only names a server-side session (lib/auth/server-session.ts), which enforces the
    // idle and absolute timeouts; the cookie's own lifetime is the absolute one.
    session: { strategy: "jwt", maxAge: Math.ceil(sessionPolicy().maxMs / 1000) },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      async signIn({ account, profile }) {
        const cloud = account?.provider;
        const authority = authorities.find((a) => a.cloud === cloud);
        if (!isCloud(cloud) || !authority) return refuse("CloudNotServed");
        // The library already checks the ID token's issuer against the provider; this names the
        // failure for the user when a misconfigured authority answers for the wrong cloud.
        if (profile?.iss !== authority.issuer) return refuse("WrongIssuer");
        const lookup = await findDirectoryUser({
          tenantId: String(profile.tid ?? ""),
          cloud,
          userPrincipalName: String(profile.preferred_username ?? profile.email ?? ""),
        });
        return lookup.ok ? true : refuse(signInErrorFor(lookup.reason));
      },
      async jwt({ token, account, profile }) {
        if (account && profile && isCloud(account.provider)) {
          const lookup = await findDirectoryUser({
            tenantId: String(profile.tid ?? ""),
            cloud: account.provider,
            userPrincipalName: String(profile.preferred_username ?? profile.email ?? ""),
          });
          if (lookup.ok) {
            token.cloud = lookup.user.cloud;
            token.tenantId = lookup.user.tenantId;
            token.tenantName = lookup.user.tenantName;
            token.userId = lookup.user.userId;
            token.upn = lookup.user.userPrincipalName;
            token.name = lookup.user.displayName;
            token.sid = await openSession({
              scope: { tenantId: lookup.user.tenantId, cloud: lookup.user.cloud },
              userId: lookup.user.userId,
              userAgent: (await headers()).get("user-agent"),
            });
          }
          return token;
        }
        // Every later use of the cookie: its session row must still be live. An ended session
        // leaves a dead cookie that names nothing and only says why (a refresh racing sign-out
        // can at most write back a cookie whose row is gone).
        if (token.ended) return { ended: token.ended };
        if (!token.sid || !token.tenantId || !isCloud(token.cloud) || !token.userId) return null;
        // Another cloud's session names no row here; the proxy refuses it for its cloud, and says so.
        if (!servedClouds().includes(token.cloud)) return token;
        try {
          const check = await checkSession({
            scope: { tenantId: token.tenantId, cloud: token.cloud },
            sessionId: token.sid,
            userId: token.userId,
          });
          if (!check.ok) return { ended: check.reason };
          token.tenantName = check.user.tenantName;
          token.name = check.user.displayName;
        } catch {
          // A failure to check (an outage, a broken grant) must not sign anyone out: the cookie
          // stays, and the request meets the failure where it reads data, as its error page or
          // 503 (getTenantContext checks the session again, strictly, and lets nothing through).
          return token;
        }
        return token;
      },
      session({ session, token }) {
        session.cloud = token.cloud as Cloud;
        session.tenantId = token.tenantId as string;
        session.tenantName = token.tenantName as string;
        session.user.id = token.userId as string;
        session.user.userPrincipalName = token.upn as string;
        session.sessionId = token.sid as string;
        if (token.ended) session.ended = token.ended;
        return session;
      },
    },
    events: {
      // Sign-out deletes the row, so every copy of the cookie stops working at once.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (token?.sid && token.tenantId && isCloud(token.cloud)) {
          await closeSession({ tenantId: token.tenantId, cloud: token.cloud }, token.sid);
        }
      },
    },
  };
});
