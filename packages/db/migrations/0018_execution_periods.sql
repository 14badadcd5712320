CREATE TABLE "execution_periods" (
	"region_code" char(6) NOT NULL,
	"period_end" date NOT NULL,
	"period_start" date NOT NULL,
	CONSTRAINT "execution_periods_pkey" PRIMARY KEY("region_code","period_end","period_start")
);
--> statement-breakpoint
ALTER TABLE "execution_months" SET (fillfactor = 70);
