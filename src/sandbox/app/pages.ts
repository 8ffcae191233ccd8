// HTML of the sandbox's OvalEdge-like app. The doctor's smoke test drives these pages by accessible
// labels and roles, so the markup below is a contract (see startOvalEdgeApp). Every interpolated value
// goes through esc(); no external assets; inline scripts carry the response's CSP nonce.

export function esc(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A value embedded in an inline script: JSON with <, >, & and line separators escaped (cannot close the script). */
export function jsValue(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface PageContext {
  /** The context path, "/ovaledge". */
  base: string;
  nonce: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#1d2433}header{background:#16325c;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center}
header a{color:#fff}header form{margin-left:auto}main{padding:1rem 2rem;max-width:60rem}[role=alert]{color:#a4000f}label{display:block;margin:.5rem 0 .2rem}
dialog{min-width:24rem}dl{display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem}`;

function layout(ctx: PageContext, title: string, body: string, opts: { nav: boolean }): string {
  const nav = opts.nav
    ? `<header><strong>OvalEdge</strong><nav aria-label="Main"><a href="${esc(ctx.base)}/askedgi">AskEdgi</a> <a href="${esc(ctx.base)}/settings">Settings</a></nav>` +
      `<form method="post" action="${esc(ctx.base)}/logout"><button type="submit">Log out</button></form></header>`
    : '<header><strong>OvalEdge</strong></header>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · OvalEdge</title><style nonce="${esc(ctx.nonce)}">${STYLE}</style></head>
<body>${nav}<main>${body}</main></body></html>
`;
}

export function loginPage(ctx: PageContext, opts: { error?: string; username?: string } = {}): string {
  const alert = opts.error ? `<p role="alert">${esc(opts.error)}</p>` : '';
  return layout(
    ctx,
    'Sign in',
    `<h1>Sign in to OvalEdge</h1>${alert}
<form method="post" action="${esc(ctx.base)}/login">
<label for="username">User ID</label><input id="username" name="username" autocomplete="username" value="${esc(opts.username ?? '')}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Sign in</button></p>
</form>`,
    { nav: false },
  );
}

export function ssoPage(ctx: PageContext): string {
  return layout(
    ctx,
    'Identity provider',
    `<h1>Sign in with your identity provider</h1><p>This tenant uses single sign-on. Continue at your organization's identity provider.</p>`,
    { nav: false },
  );
}

export function homePage(ctx: PageContext, user: string): string {
  return layout(
    ctx,
    'Home',
    `<h1>Welcome, ${esc(user)}</h1><p>Choose AskEdgi in the navigation to ask questions of your data, or Settings to configure the application.</p>`,
    { nav: true },
  );
}

export interface AskEdgiView {
  projectId?: string;
  ready: boolean;
  files: string[];
}

export function askEdgiPage(ctx: PageContext, view: AskEdgiView): string {
  const status = view.ready && view.projectId ? `Workspace ready (project ${view.projectId})` : 'Initializing workspace…';
  const items = view.files.map((f) => `<li>${esc(f)}</li>`).join('');
  const script = `(() => {
  const base = ${jsValue(ctx.base)};
  const status = document.getElementById('workspace-status');
  const filesButton = document.getElementById('files-button');
  const dialog = document.getElementById('files-dialog');
  const input = document.getElementById('upload');
  const list = document.getElementById('workspace-data');
  const alertBox = document.getElementById('upload-alert');
  const MAX = 1024 * 1024 * 1024;
  let ready = ${jsValue(view.ready)};
  function showError(message) {
    alertBox.textContent = '';
    const p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = message;
    alertBox.appendChild(p);
  }
  async function refreshList() {
    const res = await fetch(base + '/api/askedgi/files', { credentials: 'same-origin' });
    if (!res.ok) return;
    const body = await res.json();
    list.textContent = '';
    for (const name of body.files) {
      const li = document.createElement('li');
      li.textContent = name;
      list.appendChild(li);
    }
  }
  async function poll() {
    if (ready) return;
    try {
      const res = await fetch(base + '/api/askedgi/workspace', { credentials: 'same-origin' });
      if (res.ok) {
        const body = await res.json();
        if (body.status === 'ready') {
          ready = true;
          status.textContent = 'Workspace ready (project ' + body.projectId + ')';
          filesButton.disabled = false;
          return;
        }
      }
    } catch (e) { /* keep polling */ }
    setTimeout(poll, 1000);
  }
  filesButton.addEventListener('click', () => { if (!dialog.open) dialog.show(); });
  document.getElementById('files-close').addEventListener('click', () => dialog.close());
  input.addEventListener('change', async () => {
    alertBox.textContent = '';
    for (const file of Array.from(input.files || [])) {
      if (file.size > MAX) { showError('Upload failed: ' + file.name + ' is larger than 1 GB'); continue; }
      try {
        const res = await fetch(base + '/api/askedgi/files/' + encodeURIComponent(file.name), {
          method: 'PUT', body: file, credentials: 'same-origin',
          headers: { 'content-type': file.type || 'application/octet-stream' },
        });
        if (!res.ok) {
          let message = 'Upload failed: HTTP ' + res.status;
          try { const body = await res.json(); if (body && body.error) message = body.error; } catch (e) { /* not JSON */ }
          showError(message);
        }
      } catch (e) {
        showError('Upload failed: ' + (e && e.message ? e.message : String(e)));
      }
    }
    input.value = '';
    await refreshList();
  });
  setTimeout(poll, 1000);
})();`;
  return layout(
    ctx,
    'AskEdgi',
    `<h1>AskEdgi</h1>
<p role="status" id="workspace-status">${esc(status)}</p>
<p><button type="button" id="files-button"${view.ready ? '' : ' disabled'}>Files</button></p>
<dialog id="files-dialog" aria-label="Files">
<h2>Files</h2>
<p>CSV, PQT, XLSX or JSON, up to 1 GB.</p>
<label for="upload">Browse to Upload</label><input id="upload" type="file" accept=".csv,.pqt,.xlsx,.json">
<div id="upload-alert"></div>
<p><button type="button" id="files-close">Close</button></p>
</dialog>
<h2>Workspace data</h2>
<ul aria-label="Workspace data" id="workspace-data">${items}</ul>
<script nonce="${esc(ctx.nonce)}">${script}</script>`,
    { nav: true },
  );
}

export function settingsPage(ctx: PageContext): string {
  return layout(ctx, 'Settings', `<h1>Settings</h1><ul><li><a href="${esc(ctx.base)}/settings/ai">AI</a></li></ul>`, { nav: true });
}

export interface AiSettingsView {
  openAiKeyConfigured: boolean;
  /** Absent: the Marketplace section is not rendered (fault marketplace-missing). */
  marketplace?: { provider: string; plan: string; region: string };
  error?: string;
  saved?: boolean;
}

export function aiSettingsPage(ctx: PageContext, view: AiSettingsView): string {
  const alert = view.error ? `<p role="alert">${esc(view.error)}</p>` : '';
  const saved = view.saved ? '<p role="status">OpenAI configuration saved.</p>' : '';
  const marketplace = view.marketplace
    ? `<section aria-label="Marketplace"><h2>Marketplace</h2><dl>
<dt>Provider</dt><dd>${esc(view.marketplace.provider)}</dd>
<dt>Plan</dt><dd>${esc(view.marketplace.plan)}</dd>
<dt>Region</dt><dd>${esc(view.marketplace.region)}</dd>
</dl></section>`
    : '';
  return layout(
    ctx,
    'AI',
    `<h1>AI</h1>
<section aria-label="OpenAI"><h2>OpenAI</h2>
<p id="openai-key-state">API key: ${view.openAiKeyConfigured ? 'Configured' : 'Not configured'}</p>${alert}${saved}
<form method="post" action="${esc(ctx.base)}/settings/ai/openai">
<label for="openai-key">API Key</label><input id="openai-key" name="apiKey" type="password" autocomplete="off">
<p><button type="submit">Save</button></p>
</form></section>
${marketplace}`,
    { nav: true },
  );
}

export function errorPage(ctx: PageContext, title: string, message: string): string {
  return layout(ctx, title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`, { nav: false });
}
