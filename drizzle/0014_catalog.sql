CREATE TABLE "categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_images" (
	"product_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_images_product_id_asset_id_pk" PRIMARY KEY("product_id","asset_id")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"sku" text,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "styles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"studio" text NOT NULL,
	"prompt" text DEFAULT '' NOT NULL,
	"preview_url" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "template_categories" (
	"template_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	CONSTRAINT "template_categories_template_id_category_id_pk" PRIMARY KEY("template_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "template_metrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_id" uuid NOT NULL,
	"ctr" double precision,
	"conversion_rate" double precision,
	"impressions" integer DEFAULT 0 NOT NULL,
	"engagement_rate" double precision,
	"performance_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "template_metrics_impressions_nonneg" CHECK ("template_metrics"."impressions" >= 0)
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"size" text,
	"width" integer,
	"height" integer,
	"format" text,
	"industry" text,
	"style" text,
	"campaign_type" text,
	"layout" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"preview_asset_id" uuid,
	"preview_url" text,
	"is_featured" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "product_images" ADD CONSTRAINT "product_images_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_images" ADD CONSTRAINT "product_images_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_categories" ADD CONSTRAINT "template_categories_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_categories" ADD CONSTRAINT "template_categories_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_metrics" ADD CONSTRAINT "template_metrics_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_preview_asset_id_assets_id_fk" FOREIGN KEY ("preview_asset_id") REFERENCES "public"."assets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_slug" ON "categories" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "product_images_asset" ON "product_images" USING btree ("asset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "product_images_one_primary" ON "product_images" USING btree ("product_id") WHERE "product_images"."is_primary";--> statement-breakpoint
CREATE INDEX "products_owner_created" ON "products" USING btree ("owner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "products_owner_sku" ON "products" USING btree ("owner_id","sku");--> statement-breakpoint
CREATE INDEX "products_tags" ON "products" USING gin ("tags");--> statement-breakpoint
CREATE UNIQUE INDEX "styles_key" ON "styles" USING btree ("key");--> statement-breakpoint
CREATE INDEX "styles_studio_kind" ON "styles" USING btree ("studio","kind");--> statement-breakpoint
CREATE INDEX "template_categories_category" ON "template_categories" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "template_metrics_template" ON "template_metrics" USING btree ("template_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "templates_name" ON "templates" USING btree ("name");--> statement-breakpoint
CREATE INDEX "templates_created" ON "templates" USING btree ("created_at","id");--> statement-breakpoint
-- Default styles, backgrounds and scenes, created once if absent; admins change them at /admin/styles.
INSERT INTO "styles" ("key", "name", "kind", "studio", "prompt", "sort_order") VALUES
  ('sketch', 'Sketch', 'style', 'style-studio', 'a loose graphite sketch with visible strokes', 1),
  ('pencil_sketch', 'Pencil sketch', 'style', 'style-studio', 'a detailed pencil drawing with cross-hatching', 2),
  ('watercolor', 'Watercolour', 'style', 'style-studio', 'a soft watercolour painting with bleeding washes', 3),
  ('vintage', 'Vintage', 'style', 'style-studio', 'a faded vintage photograph with warm grain', 4),
  ('noir', 'Noir', 'style', 'style-studio', 'a high-contrast black and white film noir still', 5),
  ('pop_art', 'Pop art', 'style', 'style-studio', 'bold pop art with halftone dots and flat colours', 6),
  ('cartoon', 'Cartoon', 'style', 'style-studio', 'a clean cartoon illustration with outlines', 7),
  ('anime', 'Anime', 'style', 'style-studio', 'an anime illustration with cel shading', 8),
  ('office', 'Office', 'background', 'headshots', 'a softly blurred modern office', 1),
  ('studio_grey', 'Studio grey', 'background', 'headshots', 'a plain mid-grey studio backdrop', 2),
  ('outdoor', 'Outdoor', 'background', 'headshots', 'a natural outdoor background with soft daylight', 3),
  ('bookshelf', 'Bookshelf', 'background', 'headshots', 'a warm bookshelf behind the subject', 4),
  ('white_studio', 'White studio', 'scene', 'product-shots', 'the product on a seamless white studio sweep', 1),
  ('marble_counter', 'Marble counter', 'scene', 'product-shots', 'the product on a marble kitchen counter in morning light', 2),
  ('outdoor_nature', 'Outdoor nature', 'scene', 'product-shots', 'the product outdoors among leaves and stone', 3),
  ('lifestyle_living_room', 'Living room', 'scene', 'product-shots', 'the product in a bright lived-in living room', 4)
ON CONFLICT ("key") DO NOTHING;--> statement-breakpoint
INSERT INTO "categories" ("name", "slug", "description", "sort_order") VALUES
  ('Social feed', 'social-feed', 'Square and portrait ads for feeds', 1),
  ('Stories', 'stories', 'Full-screen vertical ads', 2),
  ('Display banners', 'display-banners', 'Web banner sizes', 3)
ON CONFLICT ("slug") DO NOTHING;--> statement-breakpoint
INSERT INTO "templates" ("name", "description", "size", "width", "height", "format", "industry", "style", "campaign_type", "layout", "is_featured") VALUES
  ('Bold sale square', 'Big headline over the product, call to action below', '1080x1080', 1080, 1080, 'png', 'retail', 'bold', 'sale',
   '{"image_box":{"x":0.1,"y":0.2,"w":0.8,"h":0.5},"headline":{"x":0.08,"y":0.05,"w":0.84,"h":0.12},"body":{"x":0.08,"y":0.72,"w":0.84,"h":0.1},"cta":{"x":0.3,"y":0.85,"w":0.4,"h":0.08},"colors":{"background":"#111111","text":"#ffffff","accent":"#ff3b30"}}', true),
  ('Minimal story', 'Product centred with a quiet line of copy', '1080x1920', 1080, 1920, 'png', 'fashion', 'minimal', 'awareness',
   '{"image_box":{"x":0.1,"y":0.25,"w":0.8,"h":0.45},"headline":{"x":0.1,"y":0.08,"w":0.8,"h":0.1},"body":{"x":0.1,"y":0.74,"w":0.8,"h":0.08},"cta":{"x":0.25,"y":0.86,"w":0.5,"h":0.06},"colors":{"background":"#f5f1ea","text":"#222222","accent":"#8a6d3b"}}', false),
  ('Leaderboard launch', 'Wide banner: product left, copy right', '728x90', 728, 90, 'png', 'technology', 'clean', 'launch',
   '{"image_box":{"x":0.02,"y":0.05,"w":0.2,"h":0.9},"headline":{"x":0.25,"y":0.1,"w":0.5,"h":0.45},"body":{"x":0.25,"y":0.55,"w":0.5,"h":0.35},"cta":{"x":0.78,"y":0.25,"w":0.2,"h":0.5},"colors":{"background":"#0b3d91","text":"#ffffff","accent":"#ffd60a"}}', false)
ON CONFLICT ("name") DO NOTHING;--> statement-breakpoint
INSERT INTO "template_categories" ("template_id", "category_id")
SELECT t."id", c."id" FROM "templates" t JOIN "categories" c ON (t."name", c."slug") IN (('Bold sale square', 'social-feed'), ('Minimal story', 'stories'), ('Leaderboard launch', 'display-banners'))
ON CONFLICT DO NOTHING;
