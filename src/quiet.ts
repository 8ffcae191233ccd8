/**
 * The AWS SDK warns once per process under Node < 22 that its releases after the first week of
 * January 2027 need Node 22 (NodeVersionSupportWarning). That is true there, so the CLI lets it
 * through (README "Install": Node 20 keeps working with that one warning). On Node 22 and 24 the
 * SDK does not warn. This filter is for in-process test runs only (test/support/quiet.ts), where the
 * same notice would repeat once per test worker; every other warning is printed as usual.
 */
export function quietNodeVersionWarning(): void {
  const defaults = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.message.startsWith('NodeVersionSupportWarning')) return;
    for (const l of defaults) l(w);
  });
}
