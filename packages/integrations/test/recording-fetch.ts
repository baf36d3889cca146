/**
 * A fetch that keeps each request's JSON body in `bodies` before sending it on over real HTTP, so a
 * test can check the exact bytes an adapter sent as well as what the fake made of them.
 */
export function recordingFetch(bodies: unknown[]): typeof fetch {
  return (input, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    return fetch(input, init);
  };
}
