CREATE TABLE "execution_institution_months" (
	"region_code" char(6) NOT NULL,
	"month" date NOT NULL,
	"period_end" date NOT NULL,
	"period_start" date NOT NULL,
	"institution_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"agreed_milli" bigint NOT NULL,
	"items" integer NOT NULL,
	"purchased_milli" bigint NOT NULL,
	"non_selected_milli" bigint NOT NULL,
	"bought_milli" bigint NOT NULL,
	CONSTRAINT "execution_institution_months_pkey" PRIMARY KEY("region_code","month","period_end","period_start","institution_id","batch_id")
);
--> statement-breakpoint
CREATE TABLE "execution_variety_months" (
	"region_code" char(6) NOT NULL,
	"month" date NOT NULL,
	"period_end" date NOT NULL,
	"period_start" date NOT NULL,
	"batch_id" integer NOT NULL,
	"variety_id" integer NOT NULL,
	"city_code" text NOT NULL,
	"level" text NOT NULL,
	"agreed_milli" bigint NOT NULL,
	"items" integer NOT NULL,
	"purchased_milli" bigint NOT NULL,
	"non_selected_milli" bigint NOT NULL,
	"bought_milli" bigint NOT NULL,
	CONSTRAINT "execution_variety_months_pkey" PRIMARY KEY("region_code","month","period_end","period_start","batch_id","variety_id","city_code","level")
);
--> statement-breakpoint
ALTER TABLE "execution_institution_months" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "execution_variety_months" SET (fillfactor = 70);--> statement-breakpoint
DROP TABLE "execution_institution_totals" CASCADE;--> statement-breakpoint
DROP TABLE "execution_variety_totals" CASCADE;