import { createSessionMiddleware } from "@sessionvault/next/middleware";
import { type NextRequest, NextResponse } from "next/server";
import { COOKIE_NAME, type DashboardSession, TTL_SECONDS } from "./lib/config";

const sessions = createSessionMiddleware<DashboardSession>({ cookieName: COOKIE_NAME, ttl: TTL_SECONDS });

// Signed-in pages: a revoked device is sent to the sign-in page on its next navigation,
// and every visit to the dashboard is counted in the vault.
export async function proxy(request: NextRequest) {
  const session = await sessions.getSession(request);
  if (!session.data) {
    // A cookie whose session is gone: it was signed out elsewhere (or expired). Say so, without the id.
    const target = new URL("/", request.url);
    if (request.cookies.has(COOKIE_NAME)) target.searchParams.set("signed-out", "elsewhere");
    const response = NextResponse.redirect(target);
    await sessions.refresh(request, response);
    return response;
  }
  if (request.nextUrl.pathname === "/dashboard" && request.method === "GET") {
    await session.update({ visits: session.data.visits + 1 });
  }
  const response = NextResponse.next();
  await sessions.refresh(request, response);
  return response;
}

// Link prefetches are not visits, and Next.js hides their headers from the proxy itself, so
// they are kept out here (the pages check the session on their own as well). Next.js reads
// this config statically: it must be written out literally.
export const config = {
  matcher: [
    {
      source: "/dashboard",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    {
      source: "/sessions",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
