import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { atPublicOrigin } from "@/lib/auth/public-origin";

export const GET = (request: NextRequest) => handlers.GET(atPublicOrigin(request));
export const POST = (request: NextRequest) => handlers.POST(atPublicOrigin(request));
