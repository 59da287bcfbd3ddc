CREATE TABLE "experiment_arms" (
	"id" serial PRIMARY KEY NOT NULL,
	"experiment_id" integer NOT NULL,
	"position" integer NOT NULL,
	"config_name" text NOT NULL,
	"config_version" integer NOT NULL,
	"config_version_id" integer,
	"config_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text,
	"task_set_id" integer NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"repeats" integer DEFAULT 1 NOT NULL,
	"max_cost_usd" double precision,
	"stop_reason" text,
	"scorer" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reference_scores" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"score" real,
	"rationale" text NOT NULL,
	"scorer" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_set_items" (
	"task_set_id" integer NOT NULL,
	"task_index" integer NOT NULL,
	"task" text NOT NULL,
	"expected_answer" text,
	"metadata" jsonb,
	CONSTRAINT "task_set_items_task_set_id_task_index_pk" PRIMARY KEY("task_set_id","task_index")
);
--> statement-breakpoint
CREATE TABLE "task_sets" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"task_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_sets_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "experiment_arms" ADD CONSTRAINT "experiment_arms_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_arms" ADD CONSTRAINT "experiment_arms_config_version_id_config_versions_id_fk" FOREIGN KEY ("config_version_id") REFERENCES "public"."config_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_task_set_id_task_sets_id_fk" FOREIGN KEY ("task_set_id") REFERENCES "public"."task_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_scores" ADD CONSTRAINT "reference_scores_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_set_items" ADD CONSTRAINT "task_set_items_task_set_id_task_sets_id_fk" FOREIGN KEY ("task_set_id") REFERENCES "public"."task_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "experiment_arms_position_idx" ON "experiment_arms" USING btree ("experiment_id","position");