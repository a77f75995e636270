CREATE TABLE "api_costs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"operation_type" text NOT NULL,
	"model" text,
	"cost_per_operation_micros" bigint NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"effective_date" date NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_costs_cost_nonneg" CHECK ("api_costs"."cost_per_operation_micros" >= 0),
	CONSTRAINT "api_costs_currency_iso" CHECK ("api_costs"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "generation_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"subject_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"images_per_reference" integer DEFAULT 4 NOT NULL,
	"total_generations" integer DEFAULT 0 NOT NULL,
	"total_images" integer DEFAULT 0 NOT NULL,
	"credits_reserved" integer DEFAULT 0 NOT NULL,
	"credits_used" integer DEFAULT 0 NOT NULL,
	"completed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "generation_prices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"credits_per_output" integer NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "generation_prices_credits_nonneg" CHECK ("generation_prices"."credits_per_output" >= 0)
);
--> statement-breakpoint
CREATE TABLE "generations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"studio" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"product_id" uuid,
	"subject_id" uuid,
	"template_id" uuid,
	"style" text,
	"source_asset_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"batch_id" uuid,
	"prompt" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"num_outputs" integer DEFAULT 1 NOT NULL,
	"provider" text NOT NULL,
	"model" text,
	"credits_per_output" integer NOT NULL,
	"credits_reserved" integer NOT NULL,
	"credits_used" integer DEFAULT 0 NOT NULL,
	"hold_id" uuid,
	"api_cost_micros" bigint DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"idempotency_key" text,
	"webhook_url" text,
	"webhook_events" text[] DEFAULT '{}'::text[] NOT NULL,
	"deadline_at" timestamp (3) with time zone NOT NULL,
	"run_token" uuid,
	"started_at" timestamp (3) with time zone,
	"completed_at" timestamp (3) with time zone,
	"generation_duration_ms" integer,
	"is_favorited" boolean DEFAULT false NOT NULL,
	"user_rating" integer,
	"user_notes" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "generations_status_check" CHECK ("generations"."status" in ('pending', 'processing', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "generations_num_outputs_range" CHECK ("generations"."num_outputs" between 1 and 8),
	CONSTRAINT "generations_credits_nonneg" CHECK ("generations"."credits_reserved" >= 0 and "generations"."credits_used" >= 0 and "generations"."credits_used" <= "generations"."credits_reserved"),
	CONSTRAINT "generations_rating_range" CHECK ("generations"."user_rating" is null or "generations"."user_rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "provider_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"generation_id" uuid,
	"user_id" uuid,
	"provider" text NOT NULL,
	"operation" text NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"status" text NOT NULL,
	"http_status" integer,
	"latency_ms" integer NOT NULL,
	"request" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"response" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_message" text,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_stats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"date" date NOT NULL,
	"total_generations" integer DEFAULT 0 NOT NULL,
	"successful_generations" integer DEFAULT 0 NOT NULL,
	"failed_generations" integer DEFAULT 0 NOT NULL,
	"cancelled_generations" integer DEFAULT 0 NOT NULL,
	"outputs" integer DEFAULT 0 NOT NULL,
	"credits_used" integer DEFAULT 0 NOT NULL,
	"total_cost_micros" bigint DEFAULT 0 NOT NULL,
	"total_duration_ms" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"generation_id" uuid,
	"event_type" text NOT NULL,
	"url" text NOT NULL,
	"attempt" integer NOT NULL,
	"status" text NOT NULL,
	"http_status" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "generation_batches" ADD CONSTRAINT "generation_batches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_batch_id_generation_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."generation_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_calls" ADD CONSTRAINT "provider_calls_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_calls" ADD CONSTRAINT "provider_calls_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_stats" ADD CONSTRAINT "usage_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_costs_lookup_idx" ON "api_costs" USING btree ("provider","operation_type","effective_date");--> statement-breakpoint
CREATE INDEX "generation_batches_user_created_idx" ON "generation_batches" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "generation_prices_type" ON "generation_prices" USING btree ("type");--> statement-breakpoint
CREATE INDEX "generations_user_created_idx" ON "generations" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "generations_status_created_idx" ON "generations" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "generations_open_deadline_idx" ON "generations" USING btree ("deadline_at") WHERE "generations"."status" in ('pending', 'processing');--> statement-breakpoint
CREATE INDEX "generations_batch_idx" ON "generations" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "generations_product_idx" ON "generations" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "generations_user_idempotency_key" ON "generations" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "provider_calls_generation_idx" ON "provider_calls" USING btree ("generation_id");--> statement-breakpoint
CREATE INDEX "provider_calls_provider_created_idx" ON "provider_calls" USING btree ("provider","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_stats_user_date" ON "usage_stats" USING btree ("user_id","date");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_message_idx" ON "webhook_deliveries" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_generation_idx" ON "webhook_deliveries" USING btree ("generation_id");--> statement-breakpoint
-- Default prices (credits per output), created once if absent; admins change them at /admin/generation-prices.
INSERT INTO "generation_prices" ("type", "credits_per_output") VALUES
	('model_shot', 1), ('lifestyle', 1), ('room_scene', 1),
	('upscale', 1), ('background_removal', 1), ('vectorize', 1), ('generate', 1),
	('subject_training', 5), ('headshot', 1),
	('style_conversion', 1),
	('ad_creative', 1)
ON CONFLICT ("type") DO NOTHING;
