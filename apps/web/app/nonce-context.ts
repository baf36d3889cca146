import { createContext, useContext } from "react";

// The response's CSP nonce while the server renders; in the browser there is none (browsers hide
// nonces from the page, and hydration reuses the scripts already running).
const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

/** The nonce to put on inline scripts the page renders. */
export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
