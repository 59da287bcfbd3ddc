/** Every table's row count and content hash: equal fingerprints before and after mean no row changed. */
import { sql } from "drizzle-orm";
import { queryRows } from "@/lib/db/raw";
import type { AtlasDb } from "@/lib/db/types";

export async function databaseFingerprint(db: AtlasDb): Promise<Record<string, string>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const fingerprint: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ rows: number; digest: string | null }>(
      db,
      sql`select count(*)::int as rows, md5(string_agg(t::text, '|' order by t::text)) as digest from ${sql.identifier(name)} t`,
    );
    fingerprint[name] = `${row?.rows ?? 0}:${row?.digest ?? ""}`;
  }
  return fingerprint;
}

/** Every row of every table as text: what a database dump would show. */
export async function databaseDump(db: AtlasDb): Promise<string> {
  const tables = await queryRows<{ schema: string; name: string }>(
    db,
    sql`select table_schema as schema, table_name as name from information_schema.tables where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const { schema, name } of tables) {
    // Names come from the catalog, quoted as identifiers.
    const table = sql.raw(`"${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`);
    const rows = await queryRows<{ line: string }>(db, sql`select t::text as line from ${table} t`);
    parts.push(`-- ${name}`, ...rows.map((row) => row.line));
  }
  return parts.join("\n");
}
