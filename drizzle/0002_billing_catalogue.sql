CREATE TABLE "credit_packages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"credits" integer NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"is_featured" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"credits_valid_days" integer,
	"provider_price_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_packages_credits_pos" CHECK ("credit_packages"."credits" > 0),
	CONSTRAINT "credit_packages_amount_nonneg" CHECK ("credit_packages"."amount_minor" >= 0),
	CONSTRAINT "credit_packages_currency_iso" CHECK ("credit_packages"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"audience" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"billing_period" text NOT NULL,
	"credits_per_period" integer DEFAULT 0 NOT NULL,
	"conversion_limit" integer,
	"gallery_limit" integer,
	"has_watermark" boolean DEFAULT false NOT NULL,
	"retention_days" integer,
	"features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"provider_price_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_audience_check" CHECK ("plans"."audience" in ('user','vendor')),
	CONSTRAINT "plans_billing_period_check" CHECK ("plans"."billing_period" in ('none','month','year')),
	CONSTRAINT "plans_amount_nonneg" CHECK ("plans"."amount_minor" >= 0),
	CONSTRAINT "plans_credits_nonneg" CHECK ("plans"."credits_per_period" >= 0),
	CONSTRAINT "plans_currency_iso" CHECK ("plans"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "credit_packages_name" ON "credit_packages" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "plans_name" ON "plans" USING btree ("name");--> statement-breakpoint
-- The default catalogue, created once if absent (an admin deactivates rather than deletes). Money is
-- ISO 4217 minor units: USD cents; IRR has two minor digits in ISO 4217, so 50,000 rials = 5000000.
INSERT INTO "credit_packages" ("name", "description", "credits", "amount_minor", "currency", "is_featured", "sort_order") VALUES
	('Starter', '10 credits to try every studio', 10, 499, 'USD', false, 1),
	('Pro', '50 credits for regular work', 50, 1999, 'USD', true, 2),
	('Premium', '150 credits for teams and catalogues', 150, 4999, 'USD', false, 3)
ON CONFLICT ("name") DO NOTHING;
--> statement-breakpoint
INSERT INTO "plans" ("name", "display_name", "description", "audience", "amount_minor", "currency", "billing_period", "credits_per_period", "conversion_limit", "gallery_limit", "has_watermark", "retention_days", "features", "sort_order") VALUES
	('free', 'Free', '2 conversions and 5 images', 'user', 0, 'IRR', 'none', 0, 2, 5, true, 7, '["2 conversions","5 gallery images","watermarked results"]'::jsonb, 1),
	('basic', 'Basic', '20 conversions and 50 images a month', 'user', 5000000, 'IRR', 'month', 20, 20, 50, false, 30, '["20 conversions a month","50 gallery images","no watermark"]'::jsonb, 2),
	('advanced', 'Advanced', '100 conversions and 200 images a month', 'user', 15000000, 'IRR', 'month', 100, 100, 200, false, 90, '["100 conversions a month","200 gallery images","no watermark","priority queue"]'::jsonb, 3),
	('vendor_free', 'Vendor Free', '10 gallery images', 'vendor', 0, 'IRR', 'none', 0, NULL, 10, true, NULL, '["10 gallery images","public vendor page"]'::jsonb, 1),
	('vendor_pro', 'Vendor Pro', '500 gallery images a month', 'vendor', 10000000, 'IRR', 'month', 0, NULL, 500, false, NULL, '["500 gallery images","public vendor page","no watermark"]'::jsonb, 2)
ON CONFLICT ("name") DO NOTHING;
