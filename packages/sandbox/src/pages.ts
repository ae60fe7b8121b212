import type { SandboxResponse } from './http';

/** Text safe inside HTML. */
export const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );

/**
 * One of the sandbox's plain server-rendered pages (development only), framed with what it stands in for.
 * `title` and `standIn` are text; `body` is HTML the caller escaped.
 */
export const page = (
  standIn: string,
  title: string,
  body: string,
  status = 200,
): SandboxResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  text: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(
    title,
  )} · Paved sandbox</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2328}
header{background:#24292f;color:#fff;padding:12px 24px}
header a{color:#fff}
main{max-width:960px;margin:24px auto;padding:0 24px}
.state{display:inline-block;border-radius:2em;padding:2px 12px;color:#fff;font-weight:600}
.open,.Healthy,.Synced{background:#1f7f3c}.merged{background:#6f42c1}
.closed,.Degraded,.Missing{background:#b42318}.OutOfSync,.Progressing,.Unknown{background:#9a6700}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
pre{background:#f6f8fa;padding:12px;overflow:auto;font-size:13px}
.add{color:#116329}.del{color:#82071e}
button{background:#1f7f3c;color:#fff;border:0;border-radius:6px;padding:8px 16px;font-size:15px;cursor:pointer}
.note{background:#fff8c5;padding:8px 12px;border-radius:6px}
</style></head>
<body><header><strong>Paved sandbox</strong> · a stand-in for ${escape(
    standIn,
  )} (development only)</header>
<main>${body}</main></body></html>`,
});
