CREATE TABLE "system_metrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recorded_at" timestamp (3) with time zone NOT NULL,
	"window_seconds" integer NOT NULL,
	"queue_queued" integer NOT NULL,
	"queue_active" integer NOT NULL,
	"queue_failed" integer NOT NULL,
	"generations_finished" integer NOT NULL,
	"generations_failed" integer NOT NULL,
	"throughput_per_minute" double precision NOT NULL,
	"error_rate" double precision NOT NULL,
	"provider_calls" integer NOT NULL,
	"provider_errors" integer NOT NULL,
	"database_bytes" bigint NOT NULL,
	"storage_bytes" bigint NOT NULL,
	"queues" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "system_metrics_recorded_idx" ON "system_metrics" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "credit_transactions_created_idx" ON "credit_transactions" USING btree ("created_at","type");--> statement-breakpoint
CREATE INDEX "payments_created_idx" ON "payments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "payments_status_created_idx" ON "payments" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "payments_provider_created_idx" ON "payments" USING btree ("provider","created_at");--> statement-breakpoint
CREATE INDEX "payments_completed_idx" ON "payments" USING btree ("completed_at") WHERE "payments"."completed_at" is not null;--> statement-breakpoint
CREATE INDEX "audit_logs_created_idx" ON "audit_logs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "generations_created_idx" ON "generations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "generations_completed_idx" ON "generations" USING btree ("completed_at") WHERE "generations"."completed_at" is not null;--> statement-breakpoint
CREATE INDEX "provider_calls_created_idx" ON "provider_calls" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "provider_calls_status_created_idx" ON "provider_calls" USING btree ("status","created_at");