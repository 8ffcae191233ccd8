/**
 * The AWS SDK warns at start under Node 20 that its releases after January 2027 need Node 22.
 * The supported range is declared in package.json "engines" and the SDK is pinned in the lockfile;
 * repeating the notice on every run is noise. Every other warning is printed as usual.
 */
export function quietNodeVersionWarning(): void {
  const defaults = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.message.startsWith('NodeVersionSupportWarning')) return;
    for (const l of defaults) l(w);
  });
}
