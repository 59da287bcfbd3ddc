/**
 * The HTTP contract of task sets (`/api/task-sets`), shared by the routes, the CLI and the browser.
 * Browser-safe. Scripts rely on these shapes: change them only additively.
 */
import { z } from "zod";

export const MAX_TASKS_PER_SET = 10_000;
export const MAX_TASK_CHARS = 20_000;

export const TaskSetTaskSchema = z.strictObject({
  task: z.string().trim().min(1, "task must not be empty").max(MAX_TASK_CHARS, `task is longer than ${MAX_TASK_CHARS} characters`),
  expected_answer: z.string().max(MAX_TASK_CHARS, `expected_answer is longer than ${MAX_TASK_CHARS} characters`).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type TaskSetTask = z.infer<typeof TaskSetTaskSchema>;

export const TaskSetNameSchema = z
  .string()
  .trim()
  .min(1, "name must not be empty")
  .max(200, "name is longer than 200 characters")
  .regex(/^[^\s/][^/]*$/, "name must not contain '/' or start with a space");

export const CreateTaskSetSchema = z.strictObject({
  name: TaskSetNameSchema,
  tasks: z.array(TaskSetTaskSchema).min(1, "a task set needs at least one task").max(MAX_TASKS_PER_SET, `at most ${MAX_TASKS_PER_SET} tasks`),
});
export type CreateTaskSet = z.infer<typeof CreateTaskSetSchema>;

export const TaskSetCreatedSchema = z.object({ id: z.number().int(), name: z.string(), count: z.number().int() });
export type TaskSetCreated = z.infer<typeof TaskSetCreatedSchema>;

export const TaskSetSummarySchema = TaskSetCreatedSchema.extend({ createdAt: z.string() });
export type TaskSetSummary = z.infer<typeof TaskSetSummarySchema>;

export const TaskSetListSchema = z.object({ taskSets: z.array(TaskSetSummarySchema) });
export type TaskSetList = z.infer<typeof TaskSetListSchema>;

export const TaskSetDetailSchema = TaskSetSummarySchema.extend({
  tasks: z.array(
    z.object({
      index: z.number().int(),
      task: z.string(),
      expected_answer: z.string().nullable(),
      metadata: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});
export type TaskSetDetail = z.infer<typeof TaskSetDetailSchema>;
