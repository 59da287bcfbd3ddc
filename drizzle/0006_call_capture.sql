CREATE TABLE "calls" (
	"session_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"stage" text NOT NULL,
	"model" text,
	"step_id" integer,
	"attempt" integer,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"latency_ms" double precision NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"reasoning_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"tries" integer DEFAULT 1 NOT NULL,
	"error" text,
	"capture" jsonb,
	CONSTRAINT "calls_session_id_seq_pk" PRIMARY KEY("session_id","seq")
);
--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calls_session_step_idx" ON "calls" USING btree ("session_id","step_id","attempt");--> statement-breakpoint
CREATE INDEX "calls_finished_idx" ON "calls" USING btree ("finished_at");