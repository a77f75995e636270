CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"user_id" uuid,
	"kind" text DEFAULT 'refund' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"provider" text NOT NULL,
	"provider_refund_id" text,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"reason" text,
	"credits_recovered" integer DEFAULT 0 NOT NULL,
	"credits_unrecovered" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"refunded_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_kind_check" CHECK ("refunds"."kind" in ('refund','dispute')),
	CONSTRAINT "refunds_status_check" CHECK ("refunds"."status" in ('pending','succeeded')),
	CONSTRAINT "refunds_provider_check" CHECK ("refunds"."provider" in ('stripe','zarinpal','manual')),
	CONSTRAINT "refunds_amount_pos" CHECK ("refunds"."amount_minor" > 0),
	CONSTRAINT "refunds_credits_nonneg" CHECK ("refunds"."credits_recovered" >= 0 and "refunds"."credits_unrecovered" >= 0),
	CONSTRAINT "refunds_currency_iso" CHECK ("refunds"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "refunded_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refunds_payment_idx" ON "refunds" USING btree ("payment_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_provider_refund_id" ON "refunds" USING btree ("provider","provider_refund_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_one_pending_per_payment" ON "refunds" USING btree ("payment_id") WHERE "refunds"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "refunds_refunded_at_idx" ON "refunds" USING btree ("refunded_at") WHERE "refunds"."refunded_at" is not null;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_refunded_range" CHECK ("payments"."refunded_minor" >= 0 and "payments"."refunded_minor" <= "payments"."amount_minor");--> statement-breakpoint
-- Payments refunded before refunds had rows of their own (decisions 054, 056) get one each, at the time of their last change, so revenue analytics keep showing them.
INSERT INTO "refunds" ("payment_id", "user_id", "kind", "status", "provider", "amount_minor", "currency", "reason", "metadata", "refunded_at", "created_at", "updated_at")
SELECT "id", "user_id", 'refund', 'succeeded', "provider", "amount_minor", "currency", "failure_reason", '{"backfilled": true}'::jsonb, "updated_at", "updated_at", "updated_at"
  FROM "payments" WHERE "status" = 'refunded' AND "completed_at" IS NOT NULL AND "amount_minor" > 0;--> statement-breakpoint
UPDATE "payments" SET "refunded_minor" = "amount_minor" WHERE "status" = 'refunded' AND "completed_at" IS NOT NULL;
