import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium (never a downloaded browser), with the flags that let it run as root on a
 * machine without a network: without the background-networking flags it keeps dialing out and
 * gets refused.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
