CREATE TABLE "config_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"config_name" text NOT NULL,
	"version" integer NOT NULL,
	"content_hash" text NOT NULL,
	"yaml" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "configs" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "guidance_notes" (
	"session_id" integer NOT NULL,
	"step_id" integer NOT NULL,
	"sequence" integer NOT NULL,
	"note" text NOT NULL,
	"for_attempt" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guidance_notes_session_id_step_id_sequence_pk" PRIMARY KEY("session_id","step_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"plan" jsonb NOT NULL,
	"original_plan" jsonb,
	"review" jsonb
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"uid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"task" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"metadata" jsonb,
	"final_answer" text,
	"error" text,
	"execution_mode" text,
	"config_name" text,
	"config_version_id" integer,
	"config_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"duration_ms" integer,
	"step_count" integer DEFAULT 0 NOT NULL,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"reward_score" real,
	"judge_outcomes" integer DEFAULT 0 NOT NULL,
	"escalations" integer DEFAULT 0 NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"reasoning_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"llm_calls" integer DEFAULT 0 NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"source" text DEFAULT 'run' NOT NULL,
	"import_key" text,
	CONSTRAINT "sessions_uid_unique" UNIQUE("uid"),
	CONSTRAINT "sessions_import_key_unique" UNIQUE("import_key")
);
--> statement-breakpoint
CREATE TABLE "step_attempts" (
	"session_id" integer NOT NULL,
	"step_id" integer NOT NULL,
	"attempt" integer NOT NULL,
	"evaluation" jsonb,
	"status" text,
	"outcome" text,
	"output" text,
	"trace" text,
	"timings_ms" jsonb,
	"reward_skipped" boolean,
	"reward_score" real,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "step_attempts_session_id_step_id_attempt_pk" PRIMARY KEY("session_id","step_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "step_results" (
	"session_id" integer NOT NULL,
	"step_id" integer NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"trace" text,
	"output" text,
	"evaluation" jsonb,
	"attempts" integer,
	"metadata" jsonb,
	"reward_score" real,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "step_results_session_id_step_id_pk" PRIMARY KEY("session_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "trajectory_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"event" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "config_versions" ADD CONSTRAINT "config_versions_config_name_configs_name_fk" FOREIGN KEY ("config_name") REFERENCES "public"."configs"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guidance_notes" ADD CONSTRAINT "guidance_notes_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_config_version_id_config_versions_id_fk" FOREIGN KEY ("config_version_id") REFERENCES "public"."config_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "step_attempts" ADD CONSTRAINT "step_attempts_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "step_results" ADD CONSTRAINT "step_results_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trajectory_events" ADD CONSTRAINT "trajectory_events_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "config_versions_name_version_idx" ON "config_versions" USING btree ("config_name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "config_versions_name_hash_idx" ON "config_versions" USING btree ("config_name","content_hash");--> statement-breakpoint
CREATE INDEX "sessions_created_idx" ON "sessions" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sessions_status_created_idx" ON "sessions" USING btree ("status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sessions_config_created_idx" ON "sessions" USING btree ("config_name","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sessions_reward_idx" ON "sessions" USING btree ("reward_score") WHERE "sessions"."reward_score" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "trajectory_events_session_seq_idx" ON "trajectory_events" USING btree ("session_id","seq");