CREATE TABLE "credit_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"amount" integer NOT NULL,
	"captured_amount" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'held' NOT NULL,
	"reference_type" text,
	"reference_id" text,
	"idempotency_key" text NOT NULL,
	"lots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_holds_amount_pos" CHECK ("credit_holds"."amount" > 0),
	CONSTRAINT "credit_holds_captured_range" CHECK ("credit_holds"."captured_amount" >= 0 and "credit_holds"."captured_amount" <= "credit_holds"."amount"),
	CONSTRAINT "credit_holds_status_check" CHECK ("credit_holds"."status" in ('held','captured','released','expired'))
);
--> statement-breakpoint
CREATE TABLE "credit_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"source" text NOT NULL,
	"amount" integer NOT NULL,
	"remaining" integer NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"transaction_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_lots_amount_pos" CHECK ("credit_lots"."amount" > 0),
	CONSTRAINT "credit_lots_remaining_range" CHECK ("credit_lots"."remaining" >= 0 and "credit_lots"."remaining" <= "credit_lots"."amount")
);
--> statement-breakpoint
ALTER TABLE "credit_holds" ADD CONSTRAINT "credit_holds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_lots" ADD CONSTRAINT "credit_lots_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credit_holds_idempotency_key" ON "credit_holds" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "credit_holds_user_idx" ON "credit_holds" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "credit_holds_due_idx" ON "credit_holds" USING btree ("expires_at") WHERE "credit_holds"."status" = 'held';--> statement-breakpoint
CREATE INDEX "credit_lots_user_spendable_idx" ON "credit_lots" USING btree ("user_id","expires_at") WHERE "credit_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "credit_lots_due_idx" ON "credit_lots" USING btree ("expires_at") WHERE "credit_lots"."remaining" > 0 and "credit_lots"."expires_at" is not null;--> statement-breakpoint
-- Balances granted before lots existed become one never-expiring lot each, so sum(remaining) = available.
INSERT INTO "credit_lots" ("user_id", "source", "amount", "remaining") SELECT "user_id", 'migration', "available", "available" FROM "credit_balances" WHERE "available" > 0;
