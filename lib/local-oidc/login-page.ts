const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The local authority's sign-in form: plain HTML, accessible, no script. */
export function renderLoginPage(page: {
  title: string;
  action: string;
  authority: string;
  email?: string;
  error?: string;
  /** In the demo: the accounts of this cloud and their password, so nobody has to guess them. */
  demo?: { accounts: Array<{ email: string; name: string }>; password: string };
}): string {
  const demo = page.demo && page.demo.accounts.length > 0 ? page.demo : undefined;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>
  body { font-family: "Segoe UI", system-ui, sans-serif; background: #f3f2f1; margin: 0; }
  main { max-width: 26rem; margin: 10vh auto; background: #fff; padding: 2rem; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
  p.note { color: #444; font-size: .875rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; border: 1px solid #605e5c; font-size: 1rem; }
  button { margin-top: 1.5rem; background: #0f6cbd; color: #fff; border: 0; padding: .6rem 1.5rem; font-size: 1rem; cursor: pointer; }
  .error { color: #a4262c; background: #fde7e9; padding: .5rem; margin-top: 1rem; }
  section.demo { margin-top: 2rem; border-top: 1px solid #c8c6c4; padding-top: 1rem; font-size: .875rem; }
  section.demo h2 { font-size: 1rem; margin: 0 0 .25rem; }
  section.demo ul { padding-left: 1.25rem; margin: .5rem 0 0; }
  code { font-family: ui-monospace, Consolas, monospace; overflow-wrap: anywhere; }
</style>
</head>
<body>
<main>
  <h1>${escapeHtml(page.title)}</h1>
  <p class="note">Local demo authority standing in for Microsoft Entra ID (${escapeHtml(page.authority)}).</p>
  ${page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : ""}
  <form method="post" action="${escapeHtml(page.action)}">
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(page.email ?? "")}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
  </form>
  ${
    demo
      ? `<section class="demo" aria-labelledby="demo-accounts">
    <h2 id="demo-accounts">Demo accounts</h2>
    <p>Every account's password is <code>${escapeHtml(demo.password)}</code>.</p>
    <ul>${demo.accounts.map((a) => `<li><code>${escapeHtml(a.email)}</code> (${escapeHtml(a.name)})</li>`).join("")}</ul>
  </section>`
      : ""
  }
</main>
</body>
</html>`;
}
