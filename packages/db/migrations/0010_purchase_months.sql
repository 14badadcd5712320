CREATE TABLE "purchase_months" (
	"region_code" char(6) NOT NULL,
	"month" date NOT NULL,
	"rows" bigint NOT NULL,
	CONSTRAINT "purchase_months_pkey" PRIMARY KEY("region_code","month")
);
--> statement-breakpoint
-- The months of the purchases already stored (one pass over them, at the upgrade only).
INSERT INTO "purchase_months" ("region_code", "month", "rows") SELECT "region_code", "month", count(*) FROM "purchases" GROUP BY 1, 2;
