CREATE TABLE "data_versions" (
	"area" text NOT NULL,
	"region_code" text NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_versions_area_region_code_pk" PRIMARY KEY("area","region_code")
);
--> statement-breakpoint
DROP TABLE "data_version" CASCADE;