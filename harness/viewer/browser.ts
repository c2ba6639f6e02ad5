import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/**
 * Where a Chromium the viewer's checks can drive lives on this machine, or why there is none.
 * playwright-core brings no browser of its own (it would download one, which a fresh machine
 * may not be allowed to do): it drives the system's, Debian's `chromium` package on CI.
 */
export function findChromium(): { path: string } | { missing: string } {
  const override = process.env["WORKBOOK_CHROMIUM"];
  if (override !== undefined && override !== "") {
    return existsSync(override)
      ? { path: override }
      : { missing: `WORKBOOK_CHROMIUM names ${override}, which does not exist` };
  }
  const candidates = [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  return found !== undefined
    ? { path: found }
    : {
        missing: `no Chromium at ${candidates.slice(0, 3).join(", ")} (install Debian's chromium package, or set WORKBOOK_CHROMIUM)`,
      };
}

/**
 * Starts headless Chromium with nothing that reaches for the network on its own: without these
 * flags it tries Google's update and sync services at every start, which a closed machine
 * refuses many times over.
 */
export async function launchChromium(path: string): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: path,
    headless: true,
    args: [
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
