/** 405 with the Allow header HTTP requires, for webhook routes hit with the wrong method. */
export function methodNotAllowed(allow: string): Response {
  return new Response("method not allowed", { status: 405, headers: { Allow: allow, "Content-Type": "text/plain; charset=utf-8" } });
}
