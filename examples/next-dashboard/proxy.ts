import { createSessionMiddleware } from "@sessionvault/next/middleware";
import { type NextRequest, NextResponse } from "next/server";
import { COOKIE_NAME, type DashboardSession, TTL_SECONDS } from "./lib/config";

const sessions = createSessionMiddleware<DashboardSession>({ cookieName: COOKIE_NAME, ttl: TTL_SECONDS });

function isPrefetch(request: NextRequest): boolean {
  return (
    request.headers.has("next-router-prefetch") ||
    request.headers.has("next-router-segment-prefetch") ||
    request.headers.get("purpose") === "prefetch"
  );
}

// Signed-in pages: a revoked device is sent to the sign-in page on its next navigation.
export async function proxy(request: NextRequest) {
  const session = await sessions.getSession(request);
  if (!session.data) {
    const response = NextResponse.redirect(new URL("/", request.url));
    await sessions.refresh(request, response);
    return response;
  }
  if (request.nextUrl.pathname === "/dashboard" && request.method === "GET" && !isPrefetch(request)) {
    await session.update({ visits: session.data.visits + 1 });
  }
  const response = NextResponse.next();
  await sessions.refresh(request, response);
  return response;
}

export const config = { matcher: ["/dashboard", "/sessions"] };
