ALTER TABLE "uploads" ADD COLUMN "promised_rows" bigint;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "promised_checksum" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "status_reason" jsonb;