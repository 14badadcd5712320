CREATE TABLE "execution_periods" (
	"region_code" char(6) NOT NULL,
	"period_end" date NOT NULL,
	"period_start" date NOT NULL,
	CONSTRAINT "execution_periods_pkey" PRIMARY KEY("region_code","period_end","period_start")
);
--> statement-breakpoint
-- On a server, a correction's updates of the ledger stay on their page (fillfactor 70: heap-only updates, 14 s
-- to 5 s of a 1 M-row correction at province scale). The embedded engine keeps full pages: its commits insert
-- far more than they correct, and 30 % more pages made a 200,000-row commit a quarter slower there.
DO $$ BEGIN
  IF version() NOT LIKE '%emscripten%' THEN
    ALTER TABLE "execution_months" SET (fillfactor = 70);
  END IF;
END $$;
