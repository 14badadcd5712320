CREATE TABLE "batch_strengths" (
	"batch_id" integer NOT NULL,
	"variety_id" integer NOT NULL,
	"spec" text NOT NULL,
	"quantity" numeric(18, 3),
	"is_main_strength" boolean DEFAULT false NOT NULL,
	"has_price" boolean NOT NULL,
	"upload_id" integer,
	CONSTRAINT "batch_strengths_batch_id_variety_id_spec_pk" PRIMARY KEY("batch_id","variety_id","spec")
);
--> statement-breakpoint
ALTER TABLE "batch_strengths" ADD CONSTRAINT "batch_strengths_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_strengths" ADD CONSTRAINT "batch_strengths_variety_id_varieties_id_fk" FOREIGN KEY ("variety_id") REFERENCES "public"."varieties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "batch_strengths_variety_id_index" ON "batch_strengths" USING btree ("variety_id");