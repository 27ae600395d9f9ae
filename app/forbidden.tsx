import Link from "next/link";

export default function Forbidden() {
  return (
    <section className="mx-auto mt-10 max-w-xl rounded border border-amber-300 bg-amber-50 p-6">
      <h1 className="text-xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="mt-2 text-gray-800">
        Your role does not allow it. Viewing and exporting the activity log needs the Global admin, Admin agent
        or Billing admin role; checking the log&apos;s seals needs Global admin. Ask a global admin of your
        organization to change your role.
      </p>
      <Link href="/" className="mt-4 inline-block text-brand underline">
        Back to the home page
      </Link>
    </section>
  );
}
