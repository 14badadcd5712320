CREATE TABLE "agreed_volume_sums" (
	"region_code" char(6) NOT NULL,
	"batch_id" integer NOT NULL,
	"variety_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"quantity" numeric(24, 3) NOT NULL,
	CONSTRAINT "agreed_volume_sums_pkey" PRIMARY KEY("region_code","batch_id","variety_id","product_id")
);
