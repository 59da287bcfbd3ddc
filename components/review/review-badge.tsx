import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ReviewStatus } from "@/lib/review/api-types";

const TONE: Record<ReviewStatus, BadgeTone> = { pending: "warn", approved: "good", quarantined: "bad" };

export function ReviewBadge({ status, driftFlagged = false, testId }: { status: ReviewStatus; driftFlagged?: boolean; testId?: string }) {
  return (
    <span className="inline-flex items-center gap-1" data-testid={testId} data-review-status={status}>
      <Badge tone={TONE[status]}>{status}</Badge>
      {driftFlagged ? (
        <Badge tone="violet" title="Its reward is far from the recent sessions of its config" testId="drift-badge">
          drift
        </Badge>
      ) : null}
    </span>
  );
}
