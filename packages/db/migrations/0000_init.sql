CREATE TYPE "public"."batch_level" AS ENUM('national', 'alliance', 'provincial');--> statement-breakpoint
CREATE TYPE "public"."date_precision" AS ENUM('day', 'month', 'year');--> statement-breakpoint
CREATE TYPE "public"."drug_class" AS ENUM('chemical', 'biological', 'tcm');--> statement-breakpoint
CREATE TYPE "public"."figure_comparator" AS ENUM('eq', 'gt', 'gte', 'approx');--> statement-breakpoint
CREATE TYPE "public"."product_type" AS ENUM('drug', 'consumable');--> statement-breakpoint
CREATE TYPE "public"."region_kind" AS ENUM('nation', 'province', 'autonomous_region', 'municipality', 'corps');--> statement-breakpoint
CREATE TYPE "public"."target_scope" AS ENUM('region', 'each_province');--> statement-breakpoint
CREATE TYPE "public"."target_unit" AS ENUM('variety', 'category');--> statement-breakpoint
CREATE TYPE "public"."variety_outcome" AS ENUM('selected', 'failed');--> statement-breakpoint
CREATE TABLE "alliance_members" (
	"alliance_id" integer NOT NULL,
	"region_code" char(6) NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "alliance_members_alliance_id_region_code_pk" PRIMARY KEY("alliance_id","region_code")
);
--> statement-breakpoint
CREATE TABLE "alliances" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text,
	"lead_region_code" char(6),
	"note" text,
	CONSTRAINT "alliances_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" char(6) PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"short_name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" "region_kind" NOT NULL,
	"sort_order" smallint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "published_figures" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"region_code" char(6),
	"batch_id" integer,
	"metric" text NOT NULL,
	"product_type" "product_type",
	"comparator" "figure_comparator" DEFAULT 'eq' NOT NULL,
	"value" numeric(16, 4) NOT NULL,
	"unit" text NOT NULL,
	"as_of" date,
	"document_id" integer,
	"source_url" text,
	"clause" text,
	"note" text,
	CONSTRAINT "published_figures_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "source_documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"title_zh" text NOT NULL,
	"title_en" text,
	"issuer" text NOT NULL,
	"issued_on" date,
	"url" text,
	"local_file" text,
	"note" text,
	CONSTRAINT "source_documents_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_type" "product_type" NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text,
	"is_placeholder" boolean DEFAULT false NOT NULL,
	"note" text,
	CONSTRAINT "categories_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "varieties" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_type" "product_type" NOT NULL,
	"key" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text,
	"dosage_form_group" text,
	"drug_class" "drug_class",
	"category_id" integer,
	"is_placeholder" boolean DEFAULT false NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "batch_varieties" (
	"batch_id" integer NOT NULL,
	"variety_id" integer NOT NULL,
	"outcome" "variety_outcome" DEFAULT 'selected' NOT NULL,
	CONSTRAINT "batch_varieties_batch_id_variety_id_pk" PRIMARY KEY("batch_id","variety_id")
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"level" "batch_level" NOT NULL,
	"product_type" "product_type" NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text,
	"organizer" text NOT NULL,
	"alliance_id" integer,
	"region_code" char(6),
	"announced_on" date,
	"announced_precision" date_precision,
	"implemented_on" date,
	"implemented_precision" date_precision,
	"contract_years" numeric(4, 1),
	"renewal_of_id" integer,
	"published_variety_count" integer,
	"published_product_count" integer,
	"published_avg_cut" numeric(6, 4),
	"published_cut_note" text,
	"source" text,
	"note" text,
	"varieties_are_placeholders" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batches_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "implementations" (
	"id" serial PRIMARY KEY NOT NULL,
	"batch_id" integer NOT NULL,
	"region_code" char(6) NOT NULL,
	"start_on" date NOT NULL,
	"start_precision" date_precision DEFAULT 'day' NOT NULL,
	"contract_end_on" date,
	"estimated" boolean DEFAULT false NOT NULL,
	"source" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" serial PRIMARY KEY NOT NULL,
	"variety_id" integer NOT NULL,
	"company" text NOT NULL,
	"spec" text DEFAULT '' NOT NULL,
	"packaging" text DEFAULT '' NOT NULL,
	"unit" text,
	"nhsa_code" text,
	"is_synthetic" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "selected_products" (
	"id" serial PRIMARY KEY NOT NULL,
	"batch_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"reference_price" numeric(14, 4),
	"selected_price" numeric(14, 4) NOT NULL,
	"price_unit" text,
	"is_synthetic" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"region_code" char(6) NOT NULL,
	"scope" "target_scope" DEFAULT 'region' NOT NULL,
	"product_type" "product_type" NOT NULL,
	"unit" "target_unit" NOT NULL,
	"count" integer NOT NULL,
	"due_on" date NOT NULL,
	"due_assumed" boolean DEFAULT false NOT NULL,
	"due_note" text,
	"set_on" date NOT NULL,
	"document_id" integer,
	"clause" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "targets_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "agreed_volumes" (
	"region_code" char(6) NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "agreed_volumes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"institution_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"variety_id" integer NOT NULL,
	"product_id" integer,
	"contract_year" smallint NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"unit" text,
	"upload_id" integer,
	"is_synthetic" boolean DEFAULT false NOT NULL,
	CONSTRAINT "agreed_volumes_region_code_id_pk" PRIMARY KEY("region_code","id"),
	CONSTRAINT "agreed_volumes_natural_key" UNIQUE NULLS NOT DISTINCT("region_code","institution_id","batch_id","variety_id","product_id","contract_year")
);
--> statement-breakpoint
CREATE TABLE "institutions" (
	"region_code" char(6) NOT NULL,
	"id" integer GENERATED ALWAYS AS IDENTITY (sequence name "institutions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"city_code" char(6),
	"city_name" text,
	"level" text,
	"is_synthetic" boolean DEFAULT false NOT NULL,
	CONSTRAINT "institutions_region_code_id_pk" PRIMARY KEY("region_code","id"),
	CONSTRAINT "institutions_regionCode_code_unique" UNIQUE("region_code","code")
);
--> statement-breakpoint
CREATE TABLE "purchases" (
	"region_code" char(6) NOT NULL,
	"institution_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"month" date NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"amount" numeric(18, 2),
	"upload_id" integer,
	"is_synthetic" boolean DEFAULT false NOT NULL,
	CONSTRAINT "purchases_region_code_institution_id_product_id_month_pk" PRIMARY KEY("region_code","institution_id","product_id","month")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"region_code" char(6),
	"ip" "inet",
	"request_id" text,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"region_code" char(6),
	"batch_id" integer,
	"status" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" char(64),
	"size_bytes" bigint,
	"counts" jsonb,
	"report" jsonb,
	"is_synthetic" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	"reverted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "seed_state" (
	"name" text PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alliance_members" ADD CONSTRAINT "alliance_members_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "public"."alliances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_members" ADD CONSTRAINT "alliance_members_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliances" ADD CONSTRAINT "alliances_lead_region_code_regions_code_fk" FOREIGN KEY ("lead_region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_figures" ADD CONSTRAINT "published_figures_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_figures" ADD CONSTRAINT "published_figures_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_figures" ADD CONSTRAINT "published_figures_document_id_source_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."source_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "varieties" ADD CONSTRAINT "varieties_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_varieties" ADD CONSTRAINT "batch_varieties_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_varieties" ADD CONSTRAINT "batch_varieties_variety_id_varieties_id_fk" FOREIGN KEY ("variety_id") REFERENCES "public"."varieties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "public"."alliances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_renewal_of_id_batches_id_fk" FOREIGN KEY ("renewal_of_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementations" ADD CONSTRAINT "implementations_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementations" ADD CONSTRAINT "implementations_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_variety_id_varieties_id_fk" FOREIGN KEY ("variety_id") REFERENCES "public"."varieties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selected_products" ADD CONSTRAINT "selected_products_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selected_products" ADD CONSTRAINT "selected_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_document_id_source_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."source_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreed_volumes" ADD CONSTRAINT "agreed_volumes_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreed_volumes" ADD CONSTRAINT "agreed_volumes_variety_id_varieties_id_fk" FOREIGN KEY ("variety_id") REFERENCES "public"."varieties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreed_volumes" ADD CONSTRAINT "agreed_volumes_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreed_volumes" ADD CONSTRAINT "agreed_volumes_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreed_volumes" ADD CONSTRAINT "agreed_volumes_region_code_institution_id_institutions_region_code_id_fk" FOREIGN KEY ("region_code","institution_id") REFERENCES "public"."institutions"("region_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "published_figures_region_code_index" ON "published_figures" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "published_figures_batch_id_index" ON "published_figures" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "varieties_product_type_key_index" ON "varieties" USING btree ("product_type","key");--> statement-breakpoint
CREATE INDEX "varieties_category_id_index" ON "varieties" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "batch_varieties_variety_id_index" ON "batch_varieties" USING btree ("variety_id");--> statement-breakpoint
CREATE INDEX "batches_level_product_type_index" ON "batches" USING btree ("level","product_type");--> statement-breakpoint
CREATE INDEX "batches_region_code_index" ON "batches" USING btree ("region_code");--> statement-breakpoint
CREATE UNIQUE INDEX "implementations_batch_id_region_code_index" ON "implementations" USING btree ("batch_id","region_code");--> statement-breakpoint
CREATE INDEX "implementations_region_code_start_on_index" ON "implementations" USING btree ("region_code","start_on");--> statement-breakpoint
CREATE UNIQUE INDEX "products_variety_id_company_spec_packaging_index" ON "products" USING btree ("variety_id","company","spec","packaging");--> statement-breakpoint
CREATE UNIQUE INDEX "products_nhsa_code_unique" ON "products" USING btree ("nhsa_code");--> statement-breakpoint
CREATE UNIQUE INDEX "selected_products_batch_id_product_id_index" ON "selected_products" USING btree ("batch_id","product_id");--> statement-breakpoint
CREATE INDEX "selected_products_product_id_index" ON "selected_products" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "targets_region_code_index" ON "targets" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "agreed_volumes_region_code_batch_id_variety_id_index" ON "agreed_volumes" USING btree ("region_code","batch_id","variety_id");--> statement-breakpoint
CREATE INDEX "agreed_volumes_upload_id_index" ON "agreed_volumes" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "purchases_region_code_product_id_month_index" ON "purchases" USING btree ("region_code","product_id","month");--> statement-breakpoint
CREATE INDEX "purchases_upload_id_index" ON "purchases" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_index" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_entity_id_index" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_region_code_at_index" ON "audit_log" USING btree ("region_code","at");--> statement-breakpoint
CREATE INDEX "uploads_region_code_created_at_index" ON "uploads" USING btree ("region_code","created_at");--> statement-breakpoint
CREATE INDEX "uploads_sha256_index" ON "uploads" USING btree ("sha256");