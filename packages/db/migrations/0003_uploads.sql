CREATE TABLE "purchase_revisions" (
	"upload_id" integer NOT NULL,
	"region_code" char(6) NOT NULL,
	"institution_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"month" date NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"amount" numeric(18, 2),
	"previous_upload_id" integer,
	"is_synthetic" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staged_purchases" (
	"upload_id" integer NOT NULL,
	"row_number" integer NOT NULL,
	"region_code" char(6) NOT NULL,
	"institution_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"month" date NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"amount" numeric(18, 2)
);
--> statement-breakpoint
CREATE TABLE "upload_mappings" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"header_signature" char(64) NOT NULL,
	"mapping" jsonb NOT NULL,
	"region_code" char(6),
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upload_snapshots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "upload_snapshots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"upload_id" integer NOT NULL,
	"table_name" text NOT NULL,
	"row" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "varieties" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "varieties" ADD COLUMN "upload_id" integer;--> statement-breakpoint
ALTER TABLE "batch_varieties" ADD COLUMN "upload_id" integer;--> statement-breakpoint
ALTER TABLE "implementations" ADD COLUMN "upload_id" integer;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "upload_id" integer;--> statement-breakpoint
ALTER TABLE "selected_products" ADD COLUMN "upload_id" integer;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "sheet" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "encoding" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "mapping" jsonb;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "progress" jsonb;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "stored_name" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "duplicate_of_id" integer;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "created_by_user_id" integer;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "committed_by" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "reverted_by" text;--> statement-breakpoint
ALTER TABLE "upload_mappings" ADD CONSTRAINT "upload_mappings_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload_snapshots" ADD CONSTRAINT "upload_snapshots_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "purchase_revisions_upload_id_index" ON "purchase_revisions" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "staged_purchases_upload_id_index" ON "staged_purchases" USING btree ("upload_id");--> statement-breakpoint
CREATE UNIQUE INDEX "upload_mappings_kind_header_signature_region_code_index" ON "upload_mappings" USING btree ("kind","header_signature","region_code");--> statement-breakpoint
CREATE INDEX "upload_snapshots_upload_id_index" ON "upload_snapshots" USING btree ("upload_id");