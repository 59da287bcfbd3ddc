CREATE TABLE "human_labels" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"step_id" integer,
	"score" real,
	"verdict" text,
	"preferred_attempt" integer,
	"note" text,
	"labeler" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "judgements" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"session_id" integer NOT NULL,
	"step_id" integer NOT NULL,
	"attempt" integer NOT NULL,
	"score" real,
	"reward" jsonb NOT NULL,
	"calls" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rejudges" (
	"id" serial PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"config_name" text,
	"config_version" integer,
	"config_yaml" text NOT NULL,
	"session_ids" jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "review_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"status" text NOT NULL,
	"previous_status" text NOT NULL,
	"reviewer" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_reviews" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"export_statuses" jsonb,
	"drift" jsonb,
	"drift_flagged" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "human_labels" ADD CONSTRAINT "human_labels_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgements" ADD CONSTRAINT "judgements_version_rejudges_id_fk" FOREIGN KEY ("version") REFERENCES "public"."rejudges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgements" ADD CONSTRAINT "judgements_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_history" ADD CONSTRAINT "review_history_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_reviews" ADD CONSTRAINT "session_reviews_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "human_labels_session_idx" ON "human_labels" USING btree ("session_id","step_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "judgements_version_attempt_idx" ON "judgements" USING btree ("session_id","version","step_id","attempt");--> statement-breakpoint
CREATE INDEX "review_history_session_idx" ON "review_history" USING btree ("session_id","id");--> statement-breakpoint
CREATE INDEX "session_reviews_status_idx" ON "session_reviews" USING btree ("status");