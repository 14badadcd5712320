CREATE TYPE "public"."follow_up_reason" AS ENUM('clinical_demand', 'supply', 'late_purchase', 'not_reported', 'other');--> statement-breakpoint
CREATE TYPE "public"."follow_up_status" AS ENUM('open', 'interviewed', 'rectified', 'closed');--> statement-breakpoint
CREATE SEQUENCE "public"."follow_ups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"region_code" char(6) NOT NULL,
	"id" integer DEFAULT nextval('follow_ups_id_seq') NOT NULL,
	"institution_id" integer NOT NULL,
	"variety_id" integer,
	"batch_id" integer,
	"reason" "follow_up_reason" NOT NULL,
	"note" text,
	"due_on" date NOT NULL,
	"status" "follow_up_status" DEFAULT 'open' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "follow_ups_region_code_id_pk" PRIMARY KEY("region_code","id")
);
--> statement-breakpoint
CREATE TABLE "region_settings" (
	"region_code" char(6) PRIMARY KEY NOT NULL,
	"progress_warning_threshold" numeric(4, 3) DEFAULT '0.800' NOT NULL,
	"contract_alert_days" integer[] DEFAULT '{180,90,60,30,7}'::integer[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "region_settings_threshold_range" CHECK ("region_settings"."progress_warning_threshold" > 0 and "region_settings"."progress_warning_threshold" <= 1)
);
--> statement-breakpoint
CREATE TABLE "scenario_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"scenario_id" integer NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"level" "batch_level" NOT NULL,
	"product_type" "product_type" NOT NULL,
	"announcement_date" date,
	"implementation_date" date NOT NULL,
	"varieties" text[],
	"variety_count" integer,
	"covered_share" numeric(4, 3),
	CONSTRAINT "scenario_batches_scenarioId_position_unique" UNIQUE("scenario_id","position"),
	CONSTRAINT "scenario_batches_list_or_count" CHECK ("scenario_batches"."varieties" is not null or "scenario_batches"."variety_count" is not null),
	CONSTRAINT "scenario_batches_count_positive" CHECK ("scenario_batches"."variety_count" is null or "scenario_batches"."variety_count" > 0),
	CONSTRAINT "scenario_batches_share_range" CHECK ("scenario_batches"."covered_share" is null or ("scenario_batches"."covered_share" >= 0 and "scenario_batches"."covered_share" <= 1))
);
--> statement-breakpoint
CREATE TABLE "scenarios" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_code" char(6) NOT NULL,
	"name" text NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scenarios_regionCode_name_unique" UNIQUE("region_code","name")
);
--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_variety_id_varieties_id_fk" FOREIGN KEY ("variety_id") REFERENCES "public"."varieties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_region_code_institution_id_institutions_region_code_id_fk" FOREIGN KEY ("region_code","institution_id") REFERENCES "public"."institutions"("region_code","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_settings" ADD CONSTRAINT "region_settings_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenario_batches" ADD CONSTRAINT "scenario_batches_scenario_id_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "public"."scenarios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenarios" ADD CONSTRAINT "scenarios_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_ups_region_code_status_due_on_index" ON "follow_ups" USING btree ("region_code","status","due_on");--> statement-breakpoint
CREATE INDEX "follow_ups_region_code_institution_id_index" ON "follow_ups" USING btree ("region_code","institution_id");