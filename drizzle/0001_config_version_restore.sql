DROP INDEX "config_versions_name_hash_idx";--> statement-breakpoint
CREATE INDEX "config_versions_name_hash_idx" ON "config_versions" USING btree ("config_name","content_hash");