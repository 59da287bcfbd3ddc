ALTER TABLE "sessions" ADD COLUMN "experiment_id" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "experiment_arm_id" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "task_index" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "repeat_index" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "retry_of" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_retry_of_sessions_id_fk" FOREIGN KEY ("retry_of") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_experiment_idx" ON "sessions" USING btree ("experiment_id","experiment_arm_id","task_index");