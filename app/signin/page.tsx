import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { signIn } from "@/auth";
import { servedClouds } from "@/lib/clouds";
import { signInErrorCode } from "@/lib/auth/sign-in-errors";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { sessionPolicy } from "@/lib/auth/session-policy";
import { Button } from "@/components/ui/button";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("signIn");
  return { title: t("title") };
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const t = await getTranslations();
  const error = signInErrorCode(typeof params.error === "string" ? params.error : undefined);
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const clouds = servedClouds();
  const policy = sessionPolicy();

  return (
    <section className="mx-auto mt-10 max-w-md rounded border border-gray-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-semibold">{t("signIn.title")}</h1>
      <p className="mt-2 text-sm text-gray-600">{t("signIn.intro")}</p>
      {error && (
        <p role="alert" className="mt-4 rounded bg-red-50 p-3 text-sm text-red-800">
          {t(`signIn.errors.${error}`, { minutes: policy.idleMs / 60_000, hours: policy.maxMs / 3_600_000 })}
        </p>
      )}
      <div className="mt-6 space-y-3">
        {clouds.map((cloud) => (
          <form
            key={cloud}
            action={async () => {
              "use server";
              await signIn(cloud, { redirectTo: callbackUrl });
            }}
          >
            <Button type="submit" size="lg" className="w-full" data-testid={`sign-in-${cloud}`}>
              {t("signIn.withProvider", { cloud: t(`clouds.${cloud}`) })}
            </Button>
          </form>
        ))}
      </div>
    </section>
  );
}
