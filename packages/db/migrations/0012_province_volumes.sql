CREATE TABLE "province_volumes" (
	"region_code" char(6) NOT NULL,
	"batch_id" integer NOT NULL,
	"variety_id" integer NOT NULL,
	"spec" text DEFAULT '' NOT NULL,
	"contract_year" smallint NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"unit" text,
	"is_main_strength" boolean DEFAULT false NOT NULL,
	"upload_id" integer,
	CONSTRAINT "province_volumes_region_code_batch_id_variety_id_spec_contract_year_pk" PRIMARY KEY("region_code","batch_id","variety_id","spec","contract_year")
);
--> statement-breakpoint
ALTER TABLE "province_volumes" ADD CONSTRAINT "province_volumes_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "province_volumes" ADD CONSTRAINT "province_volumes_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "province_volumes" ADD CONSTRAINT "province_volumes_variety_id_varieties_id_fk" FOREIGN KEY ("variety_id") REFERENCES "public"."varieties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "province_volumes" ADD CONSTRAINT "province_volumes_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "province_volumes_batch_id_index" ON "province_volumes" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "province_volumes_upload_id_index" ON "province_volumes" USING btree ("upload_id");