/**
 * `fetch` with a browser's cookie jar per host and no automatic redirects, so a test can walk a sign-in flow hop by
 * hop (the portal's start, the identity provider's pages, the portal's callback) as a browser would.
 *
 * @public
 */
export function cookieFetch(): (
  url: string,
  init?: RequestInit,
) => Promise<Response> {
  const jars = new Map<string, Map<string, string>>();
  return async (url, init = {}) => {
    const { host } = new URL(url);
    const jar = jars.get(host) ?? new Map<string, string>();
    jars.set(host, jar);
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        'x-requested-with': 'XMLHttpRequest',
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
}
