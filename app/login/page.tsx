import { LoginForm } from "@/components/auth/login-form";
import { PageHeader } from "@/components/ui/page-header";
import { safeNextPath } from "@/lib/server/access-token";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return (
    <>
      <PageHeader title="Sign in" description="This dashboard requires its access token (ATLAS_TOKEN)." />
      <LoginForm next={safeNextPath(Array.isArray(next) ? next[0] : next)} />
    </>
  );
}
