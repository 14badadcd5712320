CREATE TABLE "execution_institution_months" (
	"region_code" char(6) NOT NULL,
	"month" date NOT NULL,
	"period_end" date NOT NULL,
	"period_start" date NOT NULL,
	"institution_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"agreed" numeric(20, 3) NOT NULL,
	"items" integer NOT NULL,
	"purchased" numeric(20, 3) NOT NULL,
	"non_selected" numeric(20, 3) NOT NULL,
	"bought" numeric(20, 3) NOT NULL,
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
	"agreed" numeric(20, 3) NOT NULL,
	"items" integer NOT NULL,
	"purchased" numeric(20, 3) NOT NULL,
	"non_selected" numeric(20, 3) NOT NULL,
	"bought" numeric(20, 3) NOT NULL,
	CONSTRAINT "execution_variety_months_pkey" PRIMARY KEY("region_code","month","period_end","period_start","batch_id","variety_id","city_code","level")
);
--> statement-breakpoint
DROP TABLE "execution_institution_totals" CASCADE;--> statement-breakpoint
DROP TABLE "execution_variety_totals" CASCADE;