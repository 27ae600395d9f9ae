import type { Metadata } from "next";
import { signIn } from "@/auth";
import { CLOUD_LABELS, servedClouds } from "@/lib/clouds";
import { signInMessage } from "@/lib/auth/sign-in-errors";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const error = signInMessage(typeof params.error === "string" ? params.error : undefined);
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const clouds = servedClouds();

  return (
    <section className="mx-auto mt-10 max-w-md rounded border border-gray-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <p className="mt-2 text-sm text-gray-600">
        Sign in with the work account of your partner organization, through the authority of your cloud.
      </p>
      {error && (
        <p role="alert" className="mt-4 rounded bg-red-50 p-3 text-sm text-red-800">
          {error}
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
            <button
              type="submit"
              className="w-full rounded bg-brand px-4 py-2.5 font-medium text-white hover:bg-brand-dark focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2"
            >
              Sign in with Microsoft Entra ID ({CLOUD_LABELS[cloud]})
            </button>
          </form>
        ))}
      </div>
    </section>
  );
}
