import Link from "next/link";

export default function NotFound() {
  return (
    <section className="mx-auto mt-10 max-w-xl rounded border border-gray-200 bg-white p-6">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-gray-700">There is nothing at this address, or it belongs to another organization.</p>
      <Link href="/" className="mt-4 inline-block text-brand underline">
        Back to the home page
      </Link>
    </section>
  );
}
