import "server-only";
import { and, asc, desc, eq, max, notInArray, notLike, sql, type SQL } from "drizzle-orm";
import { configs, configVersions } from "../schema";
import type { AtlasTx, Queryable } from "../types";

export type ConfigRow = typeof configs.$inferSelect;
export type ConfigVersionRow = typeof configVersions.$inferSelect;
export type ConfigVersionMeta = Omit<ConfigVersionRow, "yaml" | "configName">;

export interface ConfigWithLatestVersion {
  name: string;
  description: string;
  updatedAt: Date;
  version: number;
  contentHash: string;
  yaml: string;
}

/** Every config with its newest version, by name; `excludePrefix`/`excludeNames` leave out system-owned rows. */
export async function listConfigsWithLatestVersion(
  db: Queryable,
  { excludeNames = [], excludePrefix }: { excludeNames?: string[]; excludePrefix?: string } = {},
): Promise<ConfigWithLatestVersion[]> {
  const exclusions: SQL[] = [];
  if (excludeNames.length > 0) exclusions.push(notInArray(configs.name, excludeNames));
  if (excludePrefix !== undefined) exclusions.push(notLike(configs.name, `${escapeLike(excludePrefix)}%`));
  const latest = db
    .select({ configName: configVersions.configName, version: max(configVersions.version).as("latest_version") })
    .from(configVersions)
    .groupBy(configVersions.configName)
    .as("latest");
  return db
    .select({
      name: configs.name,
      description: configs.description,
      updatedAt: configs.updatedAt,
      version: configVersions.version,
      contentHash: configVersions.contentHash,
      yaml: configVersions.yaml,
    })
    .from(configs)
    .innerJoin(latest, eq(latest.configName, configs.name))
    .innerJoin(
      configVersions,
      and(eq(configVersions.configName, configs.name), eq(configVersions.version, latest.version)),
    )
    .where(and(...exclusions))
    .orderBy(asc(configs.name));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export async function getConfigRow(db: Queryable, name: string): Promise<ConfigRow | null> {
  const [row] = await db.select().from(configs).where(eq(configs.name, name));
  return row ?? null;
}

/** Newest first, without the text. */
export async function listConfigVersions(db: Queryable, name: string): Promise<ConfigVersionMeta[]> {
  return db
    .select({
      id: configVersions.id,
      version: configVersions.version,
      contentHash: configVersions.contentHash,
      createdAt: configVersions.createdAt,
    })
    .from(configVersions)
    .where(eq(configVersions.configName, name))
    .orderBy(desc(configVersions.version));
}

export async function getConfigVersionRow(db: Queryable, name: string, version: number): Promise<ConfigVersionRow | null> {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(and(eq(configVersions.configName, name), eq(configVersions.version, version)));
  return row ?? null;
}

export async function getLatestConfigVersionRow(db: Queryable, name: string): Promise<ConfigVersionRow | null> {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(eq(configVersions.configName, name))
    .orderBy(desc(configVersions.version))
    .limit(1);
  return row ?? null;
}

export async function getConfigVersionRowById(db: Queryable, id: number): Promise<ConfigVersionRow | null> {
  const [row] = await db.select().from(configVersions).where(eq(configVersions.id, id));
  return row ?? null;
}

export async function findConfigVersionByHash(db: Queryable, name: string, contentHash: string): Promise<ConfigVersionRow | null> {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(and(eq(configVersions.configName, name), eq(configVersions.contentHash, contentHash)))
    .orderBy(desc(configVersions.version))
    .limit(1);
  return row ?? null;
}

/**
 * Creates the config row if missing and locks it until the transaction ends, so concurrent saves of one
 * config take version numbers one after the other instead of colliding.
 */
export async function lockConfigRow(tx: AtlasTx, name: string, description: string): Promise<{ created: boolean; row: ConfigRow }> {
  const inserted = await tx.insert(configs).values({ name, description }).onConflictDoNothing().returning();
  const [row] = await tx.select().from(configs).where(eq(configs.name, name)).for("update");
  if (!row) throw new Error(`config ${name} vanished while being locked`);
  return { created: inserted.length > 0, row };
}

/** Appends the next version; call with the config row locked (`lockConfigRow`). */
export async function insertNextConfigVersion(
  tx: AtlasTx,
  { name, yaml, contentHash }: { name: string; yaml: string; contentHash: string },
): Promise<ConfigVersionRow> {
  const [latest] = await tx
    .select({ version: max(configVersions.version) })
    .from(configVersions)
    .where(eq(configVersions.configName, name));
  const [row] = await tx
    .insert(configVersions)
    .values({ configName: name, version: (latest?.version ?? 0) + 1, contentHash, yaml })
    .returning();
  if (!row) throw new Error(`config version insert for ${name} returned no row`);
  await tx.update(configs).set({ updatedAt: sql`now()` }).where(eq(configs.name, name));
  return row;
}

export async function updateConfigDescription(db: Queryable, name: string, description: string): Promise<void> {
  await db.update(configs).set({ description }).where(eq(configs.name, name));
}
