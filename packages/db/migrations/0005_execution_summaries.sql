CREATE TABLE "execution_months" (
	"region_code" char(6) NOT NULL,
	"period_end" date NOT NULL,
	"period_start" date NOT NULL,
	"institution_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"variety_id" integer NOT NULL,
	"month" date NOT NULL,
	"purchased" numeric(20, 3) NOT NULL,
	"non_selected" numeric(20, 3) NOT NULL,
	"bought" numeric(20, 3) NOT NULL,
	"spend_reference" numeric NOT NULL,
	"spend_selected" numeric NOT NULL,
	CONSTRAINT "execution_months_pkey" PRIMARY KEY("region_code","period_end","period_start","institution_id","batch_id","variety_id","month")
);
--> statement-breakpoint
CREATE TABLE "execution_savings" (
	"region_code" char(6) NOT NULL,
	"period_start" date NOT NULL,
	"month" date NOT NULL,
	"spend_reference" numeric NOT NULL,
	"spend_selected" numeric NOT NULL,
	CONSTRAINT "execution_savings_pkey" PRIMARY KEY("region_code","period_start","month")
);
--> statement-breakpoint
CREATE TABLE "execution_unvalued" (
	"region_code" char(6) NOT NULL,
	"institution_id" integer NOT NULL,
	"selected_product_id" integer NOT NULL,
	"variety_id" integer NOT NULL,
	"period_start" date NOT NULL,
	"month" date NOT NULL,
	"rows" integer NOT NULL,
	CONSTRAINT "execution_unvalued_pkey" PRIMARY KEY("region_code","institution_id","selected_product_id","period_start","month")
);
--> statement-breakpoint
CREATE TABLE "summary_state" (
	"name" text PRIMARY KEY NOT NULL,
	"rules_version" integer NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "agreed_volumes_in_force_index" ON "agreed_volumes" USING btree ("region_code","period_end","period_start");