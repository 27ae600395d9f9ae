import NextAuth, { type DefaultSession } from "next-auth";
import { findDirectoryUser } from "@/db/queries/partner-directory";
import type { Cloud } from "@/db/schema";
import { signInErrorFor, type SignInError } from "@/lib/auth/sign-in-errors";
import { cloudAuthorities, cloudProviders } from "@/lib/auth/providers";
import { isCloud, servedClouds } from "@/lib/clouds";

declare module "next-auth" {
  interface Session {
    cloud: Cloud;
    tenantId: string;
    tenantName: string;
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
    session: { strategy: "jwt", maxAge: 8 * 3600 },
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
          }
        }
        return token;
      },
      session({ session, token }) {
        session.cloud = token.cloud as Cloud;
        session.tenantId = token.tenantId as string;
        session.tenantName = token.tenantName as string;
        session.user.id = token.userId as string;
        session.user.userPrincipalName = token.upn as string;
        return session;
      },
    },
  };
});
